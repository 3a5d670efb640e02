//! Settings from `config.toml`, overridable from the environment. Strict: an unknown key is
//! an error naming the key and where it came from, so a typo never silently falls back to a
//! default.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_PATH: &str = "config.toml";
/// Environment variables `SCEPTIC_<SECTION>__<KEY>` override the file.
const ENV_PREFIX: &str = "SCEPTIC_";
pub const DISCORD_API: &str = "https://discord.com";
/// Renewed three times per length over a database round trip: shorter is not a lease.
const MIN_LEASE_SECONDS: f64 = 0.3;
/// `storage.url`'s name from before PostgreSQL, still read.
const OLD_URL_KEY: &str = "database";

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub discord: DiscordConfig,
    #[serde(default)]
    pub storage: StorageConfig,
    #[serde(default)]
    pub sessions: SessionsConfig,
    #[serde(default)]
    pub personas: PersonasConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    pub api_url: String,
    pub guild_id: Option<u64>,
    pub practice_channels: Vec<u64>,
    pub coach_role: Option<u64>,
    pub coach_channel: Option<u64>,
    pub private_threads: bool,
    pub typing_delay_ms: u64,
    /// The shards this process connects, when a large bot splits them across processes.
    pub shards: Option<Shards>,
}

/// Shards `first` to `last` (both included) of `total`: this process answers the servers
/// Discord puts on them, and competes for their lease only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl Shards {
    /// Discord's rule: a server's shard is `(guild_id >> 22) % total`.
    pub fn owns(&self, guild_id: u64) -> bool {
        let shard = (guild_id >> 22) % u64::from(self.total.max(1));
        (u64::from(self.first)..=u64::from(self.last)).contains(&shard)
    }

    fn check(&self) -> Result<(), String> {
        if self.first > self.last || self.last >= self.total {
            return Err(format!(
                "discord.shards: first ({}) to last ({}) must be shards of the {} in total, numbered from 0",
                self.first, self.last, self.total
            ));
        }
        Ok(())
    }
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            api_url: DISCORD_API.to_string(),
            guild_id: None,
            practice_channels: Vec::new(),
            coach_role: None,
            coach_channel: None,
            private_threads: true,
            typing_delay_ms: 1500,
            shards: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// A SQLite file path (or `sqlite://PATH`) or a `postgres://` URL; `database`, its
    /// name before PostgreSQL, still works.
    #[serde(alias = "database")]
    pub url: String,
    /// How long a standby waits for a silent active process before it takes over.
    pub lease_seconds: f64,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            url: "sceptic.db".to_string(),
            lease_seconds: 5.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsConfig {
    /// Fractions allowed: tests use seconds' worth.
    pub idle_hours: f64,
    pub sweep_seconds: u64,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig {
            idle_hours: 72.0,
            sweep_seconds: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonasConfig {
    pub dir: PathBuf,
}

impl Default for PersonasConfig {
    fn default() -> Self {
        PersonasConfig {
            dir: PathBuf::from("personas"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the settings: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Config {
    /// Reads `path` (without one, `config.toml` if it exists), then the environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let explicit = path.is_some();
        let path = path.unwrap_or(Path::new(DEFAULT_PATH));
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => String::new(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Config::parse_with_env(path, &text, std::env::vars())
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        Config::parse_with_env(path, text, std::iter::empty())
    }

    /// Parses the file, then applies `SCEPTIC_<SECTION>__<KEY>` variables from `env`. Each
    /// source is checked on its own, so an error always says which file line or variable.
    pub fn parse_with_env(
        path: &Path,
        text: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| invalid(&origin, text, &e))?;
        toml::from_str::<Config>(text).map_err(|e| invalid(&origin, text, &e))?;
        if let Some(toml::Value::Table(storage)) = table.get_mut("storage")
            && let Some(url) = storage.remove(OLD_URL_KEY)
        {
            storage.insert("url".to_string(), url);
        }
        for (name, value) in env {
            let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let Some((section, key)) = rest.split_once("__") else {
                continue;
            };
            let (section, mut key) = (section.to_ascii_lowercase(), key.to_ascii_lowercase());
            let value = parse_env_value(&value);
            let mut single = toml::Table::new();
            let mut inner = toml::Table::new();
            inner.insert(key.clone(), value.clone());
            single.insert(section.clone(), toml::Value::Table(inner));
            Config::deserialize(toml::Value::Table(single)).map_err(|e| invalid(&name, "", &e))?;
            // One name per setting in the merged table, so the environment overrides the file
            // whichever of the two names each uses.
            if section == "storage" && key == OLD_URL_KEY {
                key = "url".to_string();
            }
            if let toml::Value::Table(t) = table
                .entry(section)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            {
                t.insert(key, value);
            }
        }
        let config =
            Config::deserialize(toml::Value::Table(table)).map_err(|e| ConfigError::Invalid {
                origin: origin.clone(),
                message: e.message().trim().to_string(),
            })?;
        let lease = config.storage.lease_seconds;
        if lease.is_nan() || lease < MIN_LEASE_SECONDS {
            return Err(ConfigError::Invalid {
                origin,
                message: format!(
                    "storage.lease_seconds: {lease} is too short; a lease lasts at least {MIN_LEASE_SECONDS} seconds"
                ),
            });
        }
        if let Some(shards) = &config.discord.shards {
            shards
                .check()
                .map_err(|message| ConfigError::Invalid { origin, message })?;
        }
        Ok(config)
    }
}

fn invalid(origin: &str, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .filter(|_| !text.is_empty())
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let message = e.message().trim().replace('\n', " ");
    ConfigError::Invalid {
        origin: origin.to_string(),
        message: match line {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        },
    }
}

/// An environment value is read as a TOML value where it is one ("123", "true", "[1, 2]"),
/// and as a string otherwise.
fn parse_env_value(raw: &str) -> toml::Value {
    let doc = format!("v = {raw}");
    toml::from_str::<toml::Table>(&doc)
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_shipped_config_is_the_default() {
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

    #[test]
    fn the_environment_overrides_the_file_and_names_its_own_mistakes() {
        let config = Config::parse_with_env(
            Path::new("config.toml"),
            "[storage]\ndatabase = \"a.db\"\n",
            env(&[
                ("SCEPTIC_STORAGE__DATABASE", "/var/lib/sceptic/b.db"),
                ("SCEPTIC_DISCORD__GUILD_ID", "42"),
                ("SCEPTIC_DISCORD__PRACTICE_CHANNELS", "[1, 2]"),
                ("SCEPTIC_DISCORD__PRIVATE_THREADS", "false"),
                ("UNRELATED", "x"),
            ]),
        )
        .expect("valid");
        assert_eq!(config.storage.url, "/var/lib/sceptic/b.db");
        assert_eq!(config.discord.guild_id, Some(42));
        assert_eq!(config.discord.practice_channels, vec![1, 2]);
        assert!(!config.discord.private_threads);
        let renamed = Config::parse_with_env(
            Path::new("config.toml"),
            "[storage]\ndatabase = \"a.db\"\n",
            env(&[("SCEPTIC_STORAGE__URL", "postgres://sceptic@db/sceptic")]),
        )
        .expect("the old name in the file, the new one in the environment");
        assert_eq!(renamed.storage.url, "postgres://sceptic@db/sceptic");

        let err = Config::parse_with_env(
            Path::new("config.toml"),
            "",
            env(&[("SCEPTIC_DISCORD__GILD_ID", "1")]),
        )
        .expect_err("unknown key");
        let text = err.to_string();
        assert!(
            text.starts_with("SCEPTIC_DISCORD__GILD_ID:") && text.contains("gild_id"),
            "{text}"
        );
    }

    #[test]
    fn shards_that_do_not_fit_their_total_are_named() {
        let err = Config::parse(
            Path::new("config.toml"),
            "[discord]\nshards = { first = 2, last = 4, total = 4 }\n",
        )
        .expect_err("shard 4 of 4 does not exist");
        let text = err.to_string();
        assert!(text.starts_with("config.toml: discord.shards"), "{text}");
        let ok = Config::parse(
            Path::new("config.toml"),
            "[discord]\nshards = { first = 2, last = 3, total = 4 }\n",
        )
        .expect("valid");
        let shards = ok.discord.shards.expect("read");
        assert!(shards.owns(3 << 22) && shards.owns(6 << 22) && !shards.owns(5 << 22));
    }

    #[test]
    fn a_lease_too_short_to_renew_is_named() {
        let err = Config::parse(Path::new("config.toml"), "[storage]\nlease_seconds = 0\n")
            .expect_err("no lease lasts 0 seconds");
        assert!(
            err.to_string()
                .starts_with("config.toml: storage.lease_seconds: 0 is too short"),
            "{err}"
        );
    }
}
