//! Settings from `config.toml`. Strict: an unknown key is an error naming the key and the
//! file, so a typo never silently falls back to a default.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_PATH: &str = "config.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub personas: PersonasConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonasConfig {
    #[serde(default = "default_personas_dir")]
    pub dir: PathBuf,
}

impl Default for PersonasConfig {
    fn default() -> Self {
        PersonasConfig {
            dir: default_personas_dir(),
        }
    }
}

fn default_personas_dir() -> PathBuf {
    PathBuf::from("personas")
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the settings: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Reads `path`. Without an explicit path, a missing `config.toml` means the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let explicit = path.is_some();
        let path = path.unwrap_or(Path::new(DEFAULT_PATH));
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let message = e.message().trim().replace('\n', " ");
            ConfigError::Invalid {
                path: path.to_path_buf(),
                message: match line {
                    Some(line) => format!("line {line}: {message}"),
                    None => message,
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_parses() {
        let text = include_str!("../config.toml");
        assert_eq!(
            Config::parse(Path::new("config.toml"), text).expect("valid"),
            Config::default()
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err = Config::parse(Path::new("config.toml"), "[personas]\ndri = \"x\"\n")
            .expect_err("rejected");
        let text = err.to_string();
        assert!(text.starts_with("config.toml: line 2:"), "{text}");
        assert!(text.contains("dri"), "{text}");
    }
}
