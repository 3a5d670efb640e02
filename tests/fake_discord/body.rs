//! Reading request bodies: JSON, or multipart with a `payload_json` part and file parts.

use serde_json::Value;

#[derive(Debug, Default)]
pub struct ParsedBody {
    pub json: Option<Value>,
    /// File names of the file parts.
    pub files: Vec<String>,
    /// The file parts' bytes, in the order of `files`.
    pub uploads: Vec<Vec<u8>>,
    /// Why the body could not be read, if it could not.
    pub error: Option<String>,
}

pub fn parse(content_type: Option<&str>, bytes: &[u8]) -> ParsedBody {
    let content_type = content_type.unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        return match boundary(content_type) {
            Some(boundary) => multipart(&boundary, bytes),
            None => ParsedBody {
                error: Some("multipart body without a boundary".into()),
                ..ParsedBody::default()
            },
        };
    }
    if bytes.is_empty() {
        return ParsedBody::default();
    }
    match serde_json::from_slice(bytes) {
        Ok(json) => ParsedBody {
            json: Some(json),
            ..ParsedBody::default()
        },
        Err(e) => ParsedBody {
            error: Some(format!("body is not JSON: {e}")),
            ..ParsedBody::default()
        },
    }
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|param| {
        let value = param.trim().strip_prefix("boundary=")?;
        Some(value.trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn header_param(headers: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = headers.find(&key)? + key.len();
    let end = headers[start..].find('"')? + start;
    Some(headers[start..end].to_string())
}

fn multipart(boundary: &str, bytes: &[u8]) -> ParsedBody {
    let delimiter = format!("--{boundary}");
    let mut parsed = ParsedBody::default();
    let Some(mut at) = find(bytes, delimiter.as_bytes(), 0) else {
        parsed.error = Some("multipart body without its boundary".into());
        return parsed;
    };
    loop {
        let start = at + delimiter.len();
        if bytes.get(start..start + 2) == Some(b"--") {
            break;
        }
        let Some(next) = find(bytes, delimiter.as_bytes(), start) else {
            break;
        };
        let part = &bytes[start..next];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(split) = find(part, b"\r\n\r\n", 0) {
            let headers = String::from_utf8_lossy(&part[..split]);
            let content = &part[split + 4..];
            let name = header_param(&headers, "name").unwrap_or_default();
            if let Some(filename) = header_param(&headers, "filename") {
                parsed.files.push(filename);
                parsed.uploads.push(content.to_vec());
            } else if name == "payload_json" {
                match serde_json::from_slice(content) {
                    Ok(json) => parsed.json = Some(json),
                    Err(e) => parsed.error = Some(format!("payload_json is not JSON: {e}")),
                }
            }
        }
        at = next;
    }
    parsed
}
