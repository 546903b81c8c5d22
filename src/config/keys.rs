//! Every configuration key with what it accepts, and the parsers of their values.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::*;

/// One configuration key.
pub struct KeySpec {
    /// TOML key; the environment variable is `CARTABLE_` + this in upper case.
    pub name: &'static str,
    /// What values are allowed, in words.
    pub expected: &'static str,
    pub(super) apply: fn(&mut Config, &str) -> Result<(), ()>,
}

impl KeySpec {
    /// The environment variable that overrides this key.
    pub fn env_name(&self) -> String {
        format!("{ENV_PREFIX}{}", self.name.to_ascii_uppercase())
    }
}

fn optional_addr(v: &str) -> Result<Option<SocketAddr>, ()> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        v.trim().parse().map(Some).map_err(|_| ())
    }
}

fn optional_path(v: &str) -> Option<PathBuf> {
    (!v.trim().is_empty()).then(|| PathBuf::from(v.trim()))
}

fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && (h.parse::<std::net::IpAddr>().is_ok()
            || h.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            }))
}

/// Every configuration key, in the order of `docs/configuration.md`.
pub const KEYS: &[KeySpec] = &[
    KeySpec {
        name: "data_dir",
        expected: "a directory path (created if missing)",
        apply: |c, v| {
            c.data_dir = optional_path(v).ok_or(())?;
            Ok(())
        },
    },
    KeySpec {
        name: "host_names",
        expected: "a list of DNS names or IP addresses, e.g. [\"ent.college.fr\"] (comma-separated in the environment)",
        apply: |c, v| {
            let names: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
            if names.is_empty() || !names.iter().all(|h| is_host_name(h)) {
                return Err(());
            }
            c.host_names = names;
            Ok(())
        },
    },
    KeySpec {
        name: "listen_https",
        expected: "an address and port such as 0.0.0.0:443 or [::]:443, or \"\" to turn HTTPS off",
        apply: |c, v| {
            c.listen_https = optional_addr(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "listen_http",
        expected: "an address and port such as 0.0.0.0:80, or \"\" to turn plain HTTP off",
        apply: |c, v| {
            c.listen_http = optional_addr(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "http_mode",
        expected: "\"redirect\" (send plain-HTTP visitors to HTTPS) or \"serve\" (serve plain HTTP, behind a reverse proxy that does TLS)",
        apply: |c, v| {
            c.http_mode = match v.trim() {
                "redirect" => HttpMode::Redirect,
                "serve" => HttpMode::Serve,
                _ => return Err(()),
            };
            Ok(())
        },
    },
    KeySpec {
        name: "tls_cert",
        expected: "the path of a PEM certificate chain, or \"\" for a self-signed certificate kept in the data directory",
        apply: |c, v| {
            c.tls_cert = optional_path(v);
            Ok(())
        },
    },
    KeySpec {
        name: "tls_key",
        expected: "the path of the PEM private key of tls_cert, or \"\"",
        apply: |c, v| {
            c.tls_key = optional_path(v);
            Ok(())
        },
    },
    KeySpec {
        name: "public_url",
        expected: "the https:// (or http://) address users type, without a path, e.g. https://ent.college.fr, or \"\"",
        apply: |c, v| {
            let v = v.trim().trim_end_matches('/');
            if v.is_empty() {
                c.public_url = None;
                return Ok(());
            }
            let host = v
                .strip_prefix("https://")
                .or_else(|| v.strip_prefix("http://"))
                .ok_or(())?;
            let host_only = host.rsplit_once(':').map_or(host, |(h, port)| {
                if port.parse::<u16>().is_ok() { h } else { host }
            });
            if host.contains('/') || !is_host_name(host_only.trim_matches(['[', ']'])) {
                return Err(());
            }
            c.public_url = Some(v.to_owned());
            Ok(())
        },
    },
    KeySpec {
        name: "log_level",
        expected: "error, warn, info, debug or trace, or a filter such as \"cartable=debug,info\"",
        apply: |c, v| {
            tracing_subscriber::EnvFilter::try_new(v.trim()).map_err(|_| ())?;
            if v.trim().is_empty() {
                return Err(());
            }
            c.log_level = v.trim().to_owned();
            Ok(())
        },
    },
    KeySpec {
        name: "log_format",
        expected: "\"text\" or \"json\"",
        apply: |c, v| {
            c.log_format = match v.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(()),
            };
            Ok(())
        },
    },
    KeySpec {
        name: "shutdown_grace",
        expected: "a duration such as \"30s\" or \"2m\" (between 1s and 10m)",
        apply: |c, v| {
            let d = parse_duration(v)?;
            if d < Duration::from_secs(1) || d > Duration::from_secs(600) {
                return Err(());
            }
            c.shutdown_grace = d;
            Ok(())
        },
    },
    KeySpec {
        name: "http_tls_handshake_timeout",
        expected: "a duration such as \"10s\" (between 1s and 5m)",
        apply: |c, v| {
            c.http_tls_handshake_timeout =
                duration_between(v, Duration::from_secs(1), Duration::from_secs(300))?;
            Ok(())
        },
    },
    KeySpec {
        name: "http_header_read_timeout",
        expected: "a duration such as \"15s\" (between 1s and 10m)",
        apply: |c, v| {
            c.http_header_read_timeout =
                duration_between(v, Duration::from_secs(1), Duration::from_secs(600))?;
            Ok(())
        },
    },
    KeySpec {
        name: "http_idle_timeout",
        expected: "a duration such as \"60s\" or \"5m\" (between 1s and 1h)",
        apply: |c, v| {
            c.http_idle_timeout =
                duration_between(v, Duration::from_secs(1), Duration::from_secs(3600))?;
            Ok(())
        },
    },
    KeySpec {
        name: "http_max_connections",
        expected: "a number of connections between 16 and 1000000",
        apply: |c, v| {
            c.http_max_connections = count_between(v, 16, 1_000_000)?;
            Ok(())
        },
    },
    KeySpec {
        name: "http_max_connections_per_address",
        expected: "a number of connections between 1 and 1000000",
        apply: |c, v| {
            c.http_max_connections_per_address = count_between(v, 1, 1_000_000)?;
            Ok(())
        },
    },
    KeySpec {
        name: "http2_max_concurrent_streams",
        expected: "a number of requests between 1 and 1000",
        apply: |c, v| {
            c.http2_max_concurrent_streams =
                u32::try_from(count_between(v, 1, 1000)?).map_err(|_| ())?;
            Ok(())
        },
    },
    KeySpec {
        name: "http2_keep_alive_interval",
        expected: "a duration such as \"30s\" (between 1s and 10m)",
        apply: |c, v| {
            c.http2_keep_alive_interval =
                duration_between(v, Duration::from_secs(1), Duration::from_secs(600))?;
            Ok(())
        },
    },
    KeySpec {
        name: "session_idle_timeout",
        expected: "a duration such as \"2h\" or \"30m\" (between 5m and 30d)",
        apply: |c, v| {
            c.session_idle_timeout = session_duration(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "session_absolute_timeout",
        expected: "a duration such as \"12h\" (between 5m and 30d, and not shorter than session_idle_timeout)",
        apply: |c, v| {
            c.session_absolute_timeout = session_duration(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "activation_code_lifetime",
        expected: "a duration such as \"120days\" or \"8weeks\" (between 1 day and 400 days)",
        apply: |c, v| {
            c.activation_code_lifetime = duration_between(
                v,
                Duration::from_secs(86_400),
                Duration::from_secs(400 * 86_400),
            )?;
            Ok(())
        },
    },
    KeySpec {
        name: "recovery_link_lifetime",
        expected: "a duration such as \"30m\" or \"1h\" (between 5 minutes and 24 hours)",
        apply: |c, v| {
            c.recovery_link_lifetime =
                duration_between(v, Duration::from_secs(300), Duration::from_secs(86_400))?;
            Ok(())
        },
    },
    KeySpec {
        name: "blob_grace_period",
        expected: "a duration such as \"24h\" or \"7days\" (between 1 hour and 365 days)",
        apply: |c, v| {
            c.blob_grace_period = duration_between(
                v,
                Duration::from_secs(3600),
                Duration::from_secs(365 * 86_400),
            )?;
            Ok(())
        },
    },
    KeySpec {
        name: "messaging_limit_pupil",
        expected: "a number of messages per hour between 1 and 1000",
        apply: |c, v| {
            c.messaging_limit_pupil = per_hour(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "messaging_limit_parent",
        expected: "a number of messages per hour between 1 and 1000",
        apply: |c, v| {
            c.messaging_limit_parent = per_hour(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "messaging_limit_staff",
        expected: "a number of messages per hour between 1 and 1000",
        apply: |c, v| {
            c.messaging_limit_staff = per_hour(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "message_recall_window",
        expected: "a duration such as \"30m\" (between 1 minute and 7 days)",
        apply: |c, v| {
            c.message_recall_window =
                duration_between(v, Duration::from_secs(60), Duration::from_secs(7 * 86_400))?;
            Ok(())
        },
    },
    KeySpec {
        name: "message_attachment_max_mib",
        expected: "a size in MiB between 1 and 100",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=100).contains(&n) {
                return Err(());
            }
            c.message_attachment_max_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "message_draft_max_mib",
        expected: "a size in MiB between 1 and 1000",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=1000).contains(&n) {
                return Err(());
            }
            c.message_draft_max_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "messaging_draft_limit",
        expected: "a number of drafts per hour between 1 and 1000",
        apply: |c, v| {
            c.messaging_draft_limit = per_hour(v)?;
            Ok(())
        },
    },
    KeySpec {
        name: "store_cache_mib",
        expected: "a size in MiB between 16 and 65536",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(16..=65536).contains(&n) {
                return Err(());
            }
            c.store_cache_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "document_max_file_mib",
        expected: "a size in MiB between 1 and 10240",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=10240).contains(&n) {
                return Err(());
            }
            c.document_max_file_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "document_quota_pupil_mib",
        expected: "a size in MiB between 1 and 1048576",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=1048576).contains(&n) {
                return Err(());
            }
            c.document_quota_pupil_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "document_quota_parent_mib",
        expected: "a size in MiB between 1 and 1048576",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=1048576).contains(&n) {
                return Err(());
            }
            c.document_quota_parent_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "document_quota_staff_mib",
        expected: "a size in MiB between 1 and 1048576",
        apply: |c, v| {
            let n: u64 = v.trim().parse().map_err(|_| ())?;
            if !(1..=1048576).contains(&n) {
                return Err(());
            }
            c.document_quota_staff_mib = n;
            Ok(())
        },
    },
    KeySpec {
        name: "document_trash_retention",
        expected: "a duration such as \"30days\" (between 1 day and 365 days)",
        apply: |c, v| {
            c.document_trash_retention = duration_between(
                v,
                Duration::from_secs(86_400),
                Duration::from_secs(365 * 86_400),
            )?;
            Ok(())
        },
    },
    KeySpec {
        name: "mail_smarthost",
        expected: "smtp://host:port (plain), smtp+starttls://host:port (STARTTLS required) or smtps://host:port (implicit TLS), optionally with user:password@ before the host, or \"\" for none",
        apply: |c, v| {
            c.mail_smarthost = match v.trim() {
                "" => None,
                url => Some(crate::mail::transport::Smarthost::parse(url).map_err(|_| ())?),
            };
            Ok(())
        },
    },
    KeySpec {
        name: "mail_from",
        expected: "a mail address, optionally with a name: \"Cartable <ne-pas-repondre@ent.college.fr>\", or \"\" for that with the first host name",
        apply: |c, v| {
            let v = v.trim();
            if v.is_empty() {
                c.mail_from = None;
                return Ok(());
            }
            v.parse::<lettre::message::Mailbox>().map_err(|_| ())?;
            c.mail_from = Some(v.to_owned());
            Ok(())
        },
    },
    KeySpec {
        name: "mail_direct_mx",
        expected: "true (without mail_smarthost, deliver to each recipient domain's MX servers) or false",
        apply: |c, v| {
            c.mail_direct_mx = match v.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(()),
            };
            Ok(())
        },
    },
    KeySpec {
        name: "mail_dkim_key",
        expected: "the path of a DKIM private key file (RSA or Ed25519 in PEM, or the base64 of an Ed25519 key), or \"\" for no signature",
        apply: |c, v| {
            c.mail_dkim_key = optional_path(v);
            Ok(())
        },
    },
    KeySpec {
        name: "mail_dkim_selector",
        expected: "a DKIM selector (letters, digits, - and .), or \"\"",
        apply: |c, v| {
            let v = v.trim();
            if !v
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.')
            {
                return Err(());
            }
            c.mail_dkim_selector = (!v.is_empty()).then(|| v.to_owned());
            Ok(())
        },
    },
    KeySpec {
        name: "mail_dkim_domain",
        expected: "the DKIM signing domain, e.g. college-exemple.fr, or \"\" for the domain of mail_from",
        apply: |c, v| {
            let v = v.trim().to_ascii_lowercase();
            if !v.is_empty() && !is_host_name(&v) {
                return Err(());
            }
            c.mail_dkim_domain = (!v.is_empty()).then_some(v);
            Ok(())
        },
    },
    KeySpec {
        name: "mail_tls_ca",
        expected: "the path of a PEM certificate authority to trust for the smarthost (besides the usual public ones), or \"\"",
        apply: |c, v| {
            c.mail_tls_ca = optional_path(v);
            Ok(())
        },
    },
];

fn per_hour(v: &str) -> Result<u32, ()> {
    let n: u32 = v.trim().parse().map_err(|_| ())?;
    if (1..=1000).contains(&n) {
        Ok(n)
    } else {
        Err(())
    }
}

fn count_between(v: &str, min: usize, max: usize) -> Result<usize, ()> {
    let n: usize = v.trim().parse().map_err(|_| ())?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(())
    }
}

/// A duration as people write it in the configuration: `"30s"`, `"2m"`, `"12h"`, `"120days"`,
/// `"1h 30m"`, `"2 weeks"` (jiff's friendly format; a day is 24 hours, months and years are
/// refused since their length varies).
pub(super) fn parse_duration(v: &str) -> Result<Duration, ()> {
    let span: jiff::Span = v.trim().parse().map_err(|_| ())?;
    let signed = span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|_| ())?;
    Duration::try_from(signed).map_err(|_| ())
}

fn duration_between(v: &str, min: Duration, max: Duration) -> Result<Duration, ()> {
    let d = parse_duration(v)?;
    if d < min || d > max {
        return Err(());
    }
    Ok(d)
}

fn session_duration(v: &str) -> Result<Duration, ()> {
    let d = parse_duration(v)?;
    if d < Duration::from_secs(300) || d > Duration::from_secs(30 * 24 * 3600) {
        return Err(());
    }
    Ok(d)
}
