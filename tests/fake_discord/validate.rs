//! Discord's limits on what a bot sends, answered with the same 400 bodies Discord uses, so a
//! bot that would be refused in production is refused here too.

use super::payloads::form_error;
use serde_json::Value;

/// A refusal: the HTTP status and Discord's error body.
pub type Refusal = (u16, Value);

fn too_long(path: &[&str], max: usize) -> Refusal {
    (
        400,
        form_error(
            path,
            "BASE_TYPE_MAX_LENGTH",
            &format!("Must be {max} or fewer in length."),
        ),
    )
}

fn check_len(value: Option<&Value>, max: usize, path: &[&str]) -> Result<usize, Refusal> {
    let len = value
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count());
    if len > max {
        Err(too_long(path, max))
    } else {
        Ok(len)
    }
}

/// Checks a message body (create or edit; `creating` demands something to show).
pub fn message(body: &Value, creating: bool, has_files: bool) -> Result<(), Refusal> {
    let content_len = check_len(body.get("content"), 2000, &["content"])?;
    let embeds = body
        .get("embeds")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if embeds.len() > 10 {
        return Err(too_long(&["embeds"], 10));
    }
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        total += self::embed(embed, &i.to_string())?;
    }
    if total > 6000 {
        return Err((
            400,
            form_error(
                &["embeds"],
                "MAX_EMBED_SIZE_EXCEEDED",
                "Embed size exceeds maximum size of 6000",
            ),
        ));
    }
    components(body.get("components"))?;
    allowed_mentions(body.get("allowed_mentions"))?;
    let has_components = body
        .get("components")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    let has_other = ["sticker_ids", "poll"]
        .iter()
        .any(|k| body.get(*k).is_some_and(|v| !v.is_null()));
    if creating
        && content_len == 0
        && embeds.is_empty()
        && !has_components
        && !has_files
        && !has_other
    {
        return Err((
            400,
            super::payloads::error(50006, "Cannot send an empty message"),
        ));
    }
    Ok(())
}

/// Checks one embed and returns the characters it counts towards the 6000 total.
fn embed(embed: &Value, index: &str) -> Result<usize, Refusal> {
    let at = |field: &'static str| ["embeds", index, field];
    let mut total = check_len(embed.get("title"), 256, &at("title"))?;
    total += check_len(embed.get("description"), 4096, &at("description"))?;
    total += check_len(
        embed.pointer("/footer/text"),
        2048,
        &["embeds", index, "footer", "text"],
    )?;
    total += check_len(
        embed.pointer("/author/name"),
        256,
        &["embeds", index, "author", "name"],
    )?;
    let fields = embed
        .get("fields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if fields.len() > 25 {
        return Err(too_long(&at("fields"), 25));
    }
    for (f, field) in fields.iter().enumerate() {
        let f = f.to_string();
        let name = check_len(
            field.get("name"),
            256,
            &["embeds", index, "fields", &f, "name"],
        )?;
        let value = check_len(
            field.get("value"),
            1024,
            &["embeds", index, "fields", &f, "value"],
        )?;
        if name == 0 || value == 0 {
            return Err((
                400,
                form_error(
                    &["embeds", index, "fields", &f],
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ),
            ));
        }
        total += name + value;
    }
    Ok(total)
}

fn components(components: Option<&Value>) -> Result<(), Refusal> {
    let rows = components
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if rows.len() > 5 {
        return Err(too_long(&["components"], 5));
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r.to_string();
        let children = row
            .get("components")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if row.get("type").and_then(Value::as_u64) == Some(1) && children.len() > 5 {
            return Err(too_long(&["components", &r, "components"], 5));
        }
        for (c, child) in children.iter().enumerate() {
            let c = c.to_string();
            check_len(
                child.get("custom_id"),
                100,
                &["components", &r, "components", &c, "custom_id"],
            )?;
            check_len(
                child.get("label"),
                80,
                &["components", &r, "components", &c, "label"],
            )?;
        }
    }
    Ok(())
}

fn allowed_mentions(allowed: Option<&Value>) -> Result<(), Refusal> {
    let Some(allowed) = allowed.filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let parse: Vec<&str> = allowed
        .get("parse")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (kind, list) in [("users", "users"), ("roles", "roles")] {
        let listed = allowed
            .get(list)
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        if parse.contains(&kind) && listed {
            return Err((
                400,
                form_error(
                    &["allowed_mentions", "parse"],
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    &format!("parse:[\"{kind}\"] and {list}: [ids...] are mutually exclusive."),
                ),
            ));
        }
    }
    Ok(())
}

/// The locales Discord accepts in `name_localizations` / `description_localizations`.
pub const LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

fn command_name_ok(name: &str) -> bool {
    let count = name.chars().count();
    (1..=32).contains(&count)
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase()))
}

fn localizations(
    value: Option<&Value>,
    path: &[&str],
    names: bool,
    max: usize,
) -> Result<(), Refusal> {
    let Some(map) = value.and_then(Value::as_object) else {
        return Ok(());
    };
    for (locale, text) in map {
        let mut at: Vec<&str> = path.to_vec();
        at.push(locale);
        if !LOCALES.contains(&locale.as_str()) {
            return Err((
                400,
                form_error(&at, "LOCALE_INVALID", &format!("Invalid locale: {locale}")),
            ));
        }
        let text = text.as_str().unwrap_or_default();
        let ok = if names {
            command_name_ok(text)
        } else {
            (1..=max).contains(&text.chars().count())
        };
        if !ok {
            return Err((
                400,
                form_error(
                    &at,
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Invalid localized value",
                ),
            ));
        }
    }
    Ok(())
}

fn options(options: Option<&Value>, path: &mut Vec<String>) -> Result<(), Refusal> {
    let list = options
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let refuse = |path: &[String], code: &str, message: &str| {
        let at: Vec<&str> = path.iter().map(String::as_str).collect();
        Err((400, form_error(&at, code, message)))
    };
    if list.len() > 25 {
        return refuse(
            path,
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        );
    }
    let mut seen_optional = false;
    let mut names = Vec::new();
    for (i, option) in list.iter().enumerate() {
        path.push(i.to_string());
        let name = option
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !command_name_ok(name) {
            return refuse(
                path,
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            );
        }
        if names.contains(&name) {
            return refuse(
                path,
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            );
        }
        names.push(name);
        let description = option
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(1..=100).contains(&description.chars().count()) {
            return refuse(
                path,
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            );
        }
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required && seen_optional {
            return refuse(
                path,
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            );
        }
        seen_optional |= !required;
        let choices = option
            .get("choices")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if choices > 25 {
            return refuse(
                path,
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            );
        }
        if choices > 0 && option.get("autocomplete").and_then(Value::as_bool) == Some(true) {
            return refuse(
                path,
                "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE_EXCLUSIVE",
                "Autocomplete cannot be set when choices are given",
            );
        }
        let at: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut names_at = at.clone();
        names_at.push("name_localizations");
        localizations(option.get("name_localizations"), &names_at, true, 32)?;
        let mut descriptions_at = at;
        descriptions_at.push("description_localizations");
        localizations(
            option.get("description_localizations"),
            &descriptions_at,
            false,
            100,
        )?;
        path.push("options".to_string());
        self::options(option.get("options"), path)?;
        path.pop();
        path.pop();
    }
    Ok(())
}

/// Checks a list of command definitions as sent to a bulk overwrite.
pub fn commands(definitions: &[Value]) -> Result<(), Refusal> {
    if definitions.len() > 100 {
        return Err(too_long(&[], 100));
    }
    let mut names = Vec::new();
    for (i, definition) in definitions.iter().enumerate() {
        let i = i.to_string();
        command(definition, &i)?;
        let key = (
            definition.get("type").and_then(Value::as_u64).unwrap_or(1),
            definition["name"].clone(),
        );
        if names.contains(&key) {
            return Err((
                400,
                form_error(
                    &[&i, "name"],
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                ),
            ));
        }
        names.push(key);
    }
    Ok(())
}

/// Checks one command definition; `index` prefixes error paths ("" for a single command).
pub fn command(definition: &Value, index: &str) -> Result<(), Refusal> {
    let prefix: Vec<&str> = if index.is_empty() {
        Vec::new()
    } else {
        vec![index]
    };
    let at = |field: &'static str| {
        let mut path = prefix.clone();
        path.push(field);
        path
    };
    let name = definition
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let chat_input = definition.get("type").and_then(Value::as_u64).unwrap_or(1) == 1;
    if !command_name_ok(name) && chat_input {
        return Err((
            400,
            form_error(
                &at("name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            ),
        ));
    }
    let description = definition
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if chat_input && !(1..=100).contains(&description.chars().count()) {
        return Err((
            400,
            form_error(
                &at("description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            ),
        ));
    }
    localizations(
        definition.get("name_localizations"),
        &at("name_localizations"),
        chat_input,
        32,
    )?;
    localizations(
        definition.get("description_localizations"),
        &at("description_localizations"),
        false,
        100,
    )?;
    let mut path: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    path.push("options".to_string());
    options(definition.get("options"), &mut path)
}

/// Checks an autocomplete result (callback type 8).
pub fn autocomplete_choices(data: &Value) -> Result<(), Refusal> {
    let choices = data
        .get("choices")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if choices.len() > 25 {
        return Err(too_long(&["data", "choices"], 25));
    }
    for (i, choice) in choices.iter().enumerate() {
        let i = i.to_string();
        let name = choice
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(1..=100).contains(&name.chars().count()) {
            return Err((
                400,
                form_error(
                    &["data", "choices", &i, "name"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                ),
            ));
        }
        check_len(choice.get("value"), 100, &["data", "choices", &i, "value"])?;
    }
    Ok(())
}

/// Checks the body of POST /channels/{id}/threads.
pub fn thread(body: &Value) -> Result<(), Refusal> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
    if !(1..=100).contains(&name.chars().count()) {
        return Err((
            400,
            form_error(
                &["name"],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            ),
        ));
    }
    if let Some(duration) = body.get("auto_archive_duration").filter(|v| !v.is_null())
        && !matches!(duration.as_u64(), Some(60 | 1440 | 4320 | 10080))
    {
        return Err((
            400,
            form_error(
                &["auto_archive_duration"],
                "BASE_TYPE_CHOICES",
                "Value must be one of {60, 1440, 4320, 10080}.",
            ),
        ));
    }
    if let Some(kind) = body.get("type").filter(|v| !v.is_null())
        && !matches!(kind.as_u64(), Some(10..=12))
    {
        return Err((
            400,
            form_error(
                &["type"],
                "BASE_TYPE_CHOICES",
                "Value must be one of {10, 11, 12}.",
            ),
        ));
    }
    Ok(())
}
