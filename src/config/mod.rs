//! Configuration: defaults, then a TOML file, then `CARTABLE_*` environment variables.
//!
//! Every key is listed once in [`KEYS`] with what it accepts; `docs/configuration.md` documents
//! each of them and a test keeps the two in step. An unknown key or a bad value stops the start
//! with a message naming the key, the value and what is allowed. The config travels in the
//! application state; there is no global.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod keys;

pub use keys::{KEYS, KeySpec};

/// Where Cartable looks for its config file when `--config` is not given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/cartable/cartable.toml";

/// Prefix of the environment variables that override keys.
pub const ENV_PREFIX: &str = "CARTABLE_";

/// Environment variables with the prefix that are not config keys (read by the CLI itself).
const NON_KEY_ENV: &[&str] = &["CARTABLE_CONFIG"];

/// What the plain-HTTP listener does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMode {
    /// Redirect every request to HTTPS (the default).
    Redirect,
    /// Serve the application over plain HTTP (behind a TLS-terminating reverse proxy).
    Serve,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the store, blobs, index and certificates live.
    pub data_dir: PathBuf,
    /// Names this instance is reached by (certificate SANs, redirects).
    pub host_names: Vec<String>,
    /// HTTPS listen address; `None` = no HTTPS listener.
    pub listen_https: Option<SocketAddr>,
    /// Plain-HTTP listen address; `None` = no HTTP listener.
    pub listen_http: Option<SocketAddr>,
    /// What the HTTP listener does.
    pub http_mode: HttpMode,
    /// PEM certificate chain; `None` = self-signed certificate in the data dir.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key matching `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// The address users type, e.g. `https://ent.college-exemple.fr` (letters, mails, redirects).
    pub public_url: Option<String>,
    /// Log filter (`info`, `debug`, `cartable=debug,tower_http=info` …).
    pub log_level: String,
    /// Log line format.
    pub log_format: LogFormat,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_grace: Duration,
    /// How long a new connection has to finish its TLS handshake.
    pub http_tls_handshake_timeout: Duration,
    /// How long an HTTP/1.1 client has to send a whole request head (counted from the end of
    /// the previous answer on a kept-alive connection).
    pub http_header_read_timeout: Duration,
    /// A connection with no request in progress is closed after this long.
    pub http_idle_timeout: Duration,
    /// Open connections at most, over both listeners (lowered to fit the open-file limit).
    pub http_max_connections: usize,
    /// Open connections at most from one IPv4 address or one IPv6 /64.
    pub http_max_connections_per_address: usize,
    /// Requests in progress at most on one HTTP/2 connection.
    pub http2_max_concurrent_streams: u32,
    /// How often an HTTP/2 connection is pinged (a peer that does not answer is dropped).
    pub http2_keep_alive_interval: Duration,
    /// A session ends after this long without activity.
    pub session_idle_timeout: Duration,
    /// A session ends this long after sign-in, whatever happens.
    pub session_absolute_timeout: Duration,
    /// An activation code (credential letter, administrator's reset) expires after this long.
    pub activation_code_lifetime: Duration,
    /// A password recovery link expires after this long.
    pub recovery_link_lifetime: Duration,
    /// An unreferenced blob (uploaded file) is deleted after this long (`blob_grace_period`).
    pub blob_grace_period: Duration,
    /// Messages a pupil may send per hour.
    pub messaging_limit_pupil: u32,
    /// Messages a parent may send per hour.
    pub messaging_limit_parent: u32,
    /// Messages a teacher or staff member may send per hour.
    pub messaging_limit_staff: u32,
    /// How long after sending a message not yet read may be recalled.
    pub message_recall_window: Duration,
    /// The largest attachment of a message, in MiB.
    pub message_attachment_max_mib: u64,
    /// The most one draft or message may carry in attachments, in total, in MiB.
    pub message_draft_max_mib: u64,
    /// Drafts an account may create (or save with new attachments) per hour.
    pub messaging_draft_limit: u32,
    /// The store's page cache (what redb keeps of the file in memory), in MiB.
    pub store_cache_mib: u64,
    /// The largest document file, in MiB.
    pub document_max_file_mib: u64,
    /// A pupil's documents quota, in MiB.
    pub document_quota_pupil_mib: u64,
    /// A parent's documents quota, in MiB.
    pub document_quota_parent_mib: u64,
    /// A teacher's or staff member's documents quota, in MiB.
    pub document_quota_staff_mib: u64,
    /// How long a trashed document can be restored before it is purged.
    pub document_trash_retention: Duration,
    /// The SMTP server mail is handed to; `None` = none (see `mail_direct_mx`).
    pub mail_smarthost: Option<crate::mail::transport::Smarthost>,
    /// The `From` of every mail; `None` = `Cartable <ne-pas-repondre@{first host name}>`.
    pub mail_from: Option<String>,
    /// Without a smarthost, deliver to the recipient domain's MX servers.
    pub mail_direct_mx: bool,
    /// DKIM private key file (RSA or Ed25519 PEM, or base64 Ed25519); `None` = no signature.
    pub mail_dkim_key: Option<PathBuf>,
    /// DKIM selector (the DNS name `{selector}._domainkey.{domain}` holds the public key).
    pub mail_dkim_selector: Option<String>,
    /// DKIM signing domain; `None` = the domain of `mail_from`.
    pub mail_dkim_domain: Option<String>,
    /// Extra certificate authority (PEM) to trust for the smarthost's TLS certificate.
    pub mail_tls_ca: Option<PathBuf>,
}

impl Config {
    /// The address users type: `public_url` if set, else `https://` and the first host name
    /// (with the HTTPS port unless it is 443). Printed on letters, used in mails.
    pub fn instance_url(&self) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        let host = self.host_names.first().map_or("localhost", String::as_str);
        match self.listen_https.map(|a| a.port()) {
            Some(443) | None => format!("https://{host}"),
            Some(port) => format!("https://{host}:{port}"),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./cartable-data"),
            host_names: vec!["localhost".into()],
            listen_https: Some(SocketAddr::from(([127, 0, 0, 1], 8443))),
            listen_http: Some(SocketAddr::from(([127, 0, 0, 1], 8080))),
            http_mode: HttpMode::Redirect,
            tls_cert: None,
            tls_key: None,
            public_url: None,
            log_level: "info".into(),
            log_format: LogFormat::Text,
            shutdown_grace: Duration::from_secs(30),
            http_tls_handshake_timeout: Duration::from_secs(10),
            http_header_read_timeout: Duration::from_secs(15),
            http_idle_timeout: Duration::from_secs(60),
            http_max_connections: 10_000,
            http_max_connections_per_address: 1_000,
            http2_max_concurrent_streams: 100,
            http2_keep_alive_interval: Duration::from_secs(30),
            session_idle_timeout: Duration::from_secs(2 * 3600),
            session_absolute_timeout: Duration::from_secs(12 * 3600),
            activation_code_lifetime: Duration::from_secs(120 * 24 * 3600),
            recovery_link_lifetime: Duration::from_secs(30 * 60),
            blob_grace_period: Duration::from_secs(24 * 3600),
            messaging_limit_pupil: 20,
            messaging_limit_parent: 30,
            messaging_limit_staff: 300,
            message_recall_window: Duration::from_secs(30 * 60),
            message_attachment_max_mib: 10,
            message_draft_max_mib: 30,
            messaging_draft_limit: 60,
            store_cache_mib: crate::store::DEFAULT_CACHE_MIB,
            document_max_file_mib: 100,
            document_quota_pupil_mib: 500,
            document_quota_parent_mib: 100,
            document_quota_staff_mib: 5 * 1024,
            document_trash_retention: Duration::from_secs(30 * 24 * 3600),
            mail_smarthost: None,
            mail_from: None,
            mail_direct_mx: false,
            mail_dkim_key: None,
            mail_dkim_selector: None,
            mail_dkim_domain: None,
            mail_tls_ca: None,
        }
    }
}

/// A configuration that cannot be used. The message names the key, the value and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read the configuration file {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The config file is not valid TOML.
    #[error("the configuration file {path} is not valid TOML: {reason}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message (with line and column).
        reason: String,
    },
    /// A key that Cartable does not know.
    #[error("unknown configuration key \"{key}\" ({source_}){hint} Allowed keys: {allowed}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// Where it was found.
        source_: String,
        /// A suggestion, if a known key is close.
        hint: String,
        /// Every known key.
        allowed: String,
    },
    /// A known key with a value it does not accept.
    #[error(
        "configuration key \"{key}\" ({source_}) has the value {value:?}, which is not allowed: expected {expected}"
    )]
    BadValue {
        /// The key.
        key: String,
        /// Where it was set.
        source_: String,
        /// The value as given.
        value: String,
        /// What is allowed.
        expected: String,
    },
    /// Keys that are fine alone but not together.
    #[error("configuration keys {keys} do not fit together: {reason}")]
    Inconsistent {
        /// The keys involved.
        keys: String,
        /// What to change.
        reason: String,
    },
}

/// Where a configuration value came from, in the words of error messages.
fn describe_file(path: &Path) -> String {
    format!("in {}", path.display())
}

fn closest_key(key: &str) -> Option<&'static KeySpec> {
    let key_lc = key.to_ascii_lowercase();
    KEYS.iter()
        .map(|k| (edit_distance(&key_lc, k.name), k))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn did_you_mean(name: Option<String>) -> String {
    name.map_or_else(|| ".".to_owned(), |n| format!("; did you mean \"{n}\"?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn allowed_keys() -> String {
    KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

fn toml_to_text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                toml::Value::String(s) if !s.contains(',') => Some(s.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(",")),
        _ => None,
    }
}

impl Config {
    /// Loads the configuration: defaults, then `file` (if any), then the `CARTABLE_*` variables
    /// among `env`. Nothing is read from the process environment here, so tests pass their own.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
            config.apply_toml(path, &text)?;
        }
        let env: BTreeMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        for (name, value) in &env {
            if NON_KEY_ENV.contains(&name.as_str()) {
                continue;
            }
            let Some(spec) = KEYS.iter().find(|k| k.env_name() == *name) else {
                let bare = name.trim_start_matches(ENV_PREFIX);
                return Err(ConfigError::UnknownKey {
                    key: name.clone(),
                    source_: "environment variable".into(),
                    hint: did_you_mean(closest_key(bare).map(KeySpec::env_name)),
                    allowed: KEYS
                        .iter()
                        .map(KeySpec::env_name)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            (spec.apply)(&mut config, value).map_err(|()| ConfigError::BadValue {
                key: spec.name.into(),
                source_: format!("environment variable {name}"),
                value: value.clone(),
                expected: spec.expected.into(),
            })?;
        }
        config.validate()?;
        Ok(config)
    }

    fn apply_toml(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ConfigError::Syntax {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })?;
        for (key, value) in &table {
            let Some(spec) = KEYS.iter().find(|k| k.name == key) else {
                return Err(ConfigError::UnknownKey {
                    key: key.clone(),
                    source_: describe_file(path),
                    hint: did_you_mean(closest_key(key).map(|k| k.name.to_owned())),
                    allowed: allowed_keys(),
                });
            };
            let bad = || ConfigError::BadValue {
                key: key.clone(),
                source_: describe_file(path),
                value: toml_to_text(value).unwrap_or_else(|| value.to_string()),
                expected: spec.expected.into(),
            };
            let text = toml_to_text(value).ok_or_else(bad)?;
            (spec.apply)(self, &text).map_err(|()| bad())?;
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.validate_mail()?;
        if self.session_absolute_timeout < self.session_idle_timeout {
            return Err(ConfigError::Inconsistent {
                keys: "session_idle_timeout and session_absolute_timeout".into(),
                reason: "the absolute timeout must not be shorter than the idle timeout".into(),
            });
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(ConfigError::Inconsistent {
                keys: "tls_cert and tls_key".into(),
                reason:
                    "set both (a certificate chain and its private key) or neither (self-signed)"
                        .into(),
            });
        }
        match (self.listen_https, self.listen_http, self.http_mode) {
            (None, None, _) => Err(ConfigError::Inconsistent {
                keys: "listen_https and listen_http".into(),
                reason: "both are off, so nobody could reach Cartable; set at least one".into(),
            }),
            (None, Some(_), HttpMode::Redirect) => Err(ConfigError::Inconsistent {
                keys: "listen_https, listen_http and http_mode".into(),
                reason: "plain HTTP redirects to HTTPS but HTTPS is off; set listen_https, or http_mode = \"serve\" behind a reverse proxy".into(),
            }),
            _ => Ok(()),
        }
    }

    /// The address shown to people: `public_url` if set, else derived from the listener.
    pub fn display_url(&self, https: Option<SocketAddr>, http: Option<SocketAddr>) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let host = |addr: SocketAddr| {
            if addr.ip().is_unspecified() || addr.ip().is_loopback() {
                self.host_names
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "localhost".into())
            } else {
                match addr.ip() {
                    std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                    ip => ip.to_string(),
                }
            }
        };
        match (https, http) {
            (Some(a), _) if a.port() == 443 => format!("https://{}", host(a)),
            (Some(a), _) => format!("https://{}:{}", host(a), a.port()),
            (None, Some(a)) if a.port() == 80 => format!("http://{}", host(a)),
            (None, Some(a)) => format!("http://{}:{}", host(a), a.port()),
            (None, None) => String::new(),
        }
    }
}

impl Config {
    /// The `From` of mails: `mail_from`, or `Cartable <ne-pas-repondre@{first host name}>`.
    pub fn mail_from_address(&self) -> String {
        if let Some(from) = &self.mail_from {
            return from.clone();
        }
        let host = self.host_names.first().map_or("localhost", String::as_str);
        if host.parse::<std::net::IpAddr>().is_ok() {
            format!("Cartable <ne-pas-repondre@[{host}]>")
        } else {
            format!("Cartable <ne-pas-repondre@{host}>")
        }
    }

    /// The documents' size limits, in bytes (`document_*_mib`).
    pub fn document_limits(&self) -> crate::domain::documents::service::Limits {
        const MIB: u64 = 1024 * 1024;
        crate::domain::documents::service::Limits {
            max_file: self.document_max_file_mib * MIB,
            quota_pupil: self.document_quota_pupil_mib * MIB,
            quota_parent: self.document_quota_parent_mib * MIB,
            quota_staff: self.document_quota_staff_mib * MIB,
        }
    }

    /// The limits on message attachments (`message_draft_max_mib`, `messaging_draft_limit`,
    /// the documents' quotas).
    pub fn attachment_limits(&self) -> crate::domain::messaging::limits::AttachmentLimits {
        crate::domain::messaging::limits::AttachmentLimits {
            quota: self.document_limits(),
            message_max_bytes: self.message_draft_max_mib.saturating_mul(1024 * 1024),
            drafts_per_hour: self.messaging_draft_limit,
        }
    }

    /// The mail keys, for the relay (`mail::transport::Settings::from_keys` checks them).
    pub fn mail_keys(&self) -> crate::mail::transport::MailKeys {
        crate::mail::transport::MailKeys {
            smarthost: self.mail_smarthost.clone(),
            direct_mx: self.mail_direct_mx,
            from: self.mail_from_address(),
            hello: self
                .host_names
                .first()
                .cloned()
                .unwrap_or_else(|| "localhost".into()),
            dkim_key: self.mail_dkim_key.clone(),
            dkim_selector: self.mail_dkim_selector.clone(),
            dkim_domain: self.mail_dkim_domain.clone(),
            tls_ca: self.mail_tls_ca.clone(),
        }
    }

    fn validate_mail(&self) -> Result<(), ConfigError> {
        if self.mail_dkim_key.is_some() != self.mail_dkim_selector.is_some() {
            return Err(ConfigError::Inconsistent {
                keys: "mail_dkim_key and mail_dkim_selector".into(),
                reason: "set both (the private key and the selector its public key is published under) or neither".into(),
            });
        }
        if self.mail_dkim_domain.is_some() && self.mail_dkim_key.is_none() {
            return Err(ConfigError::Inconsistent {
                keys: "mail_dkim_domain and mail_dkim_key".into(),
                reason: "a signing domain without a key signs nothing; set mail_dkim_key and mail_dkim_selector too, or remove mail_dkim_domain".into(),
            });
        }
        Ok(())
    }
}

impl Default for crate::domain::messaging::limits::AttachmentLimits {
    fn default() -> Self {
        Config::default().attachment_limits()
    }
}

#[cfg(test)]
mod tests;
