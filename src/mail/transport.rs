//! How mail leaves: the configured smarthost (`mail_smarthost`: plain SMTP, STARTTLS or
//! implicit TLS, with optional authentication), or — when `mail_direct_mx` is on and there is no
//! smarthost — straight to the recipient domain's MX servers. lettre speaks SMTP (rustls with
//! ring, no OpenSSL) and keeps a pool of open connections per server; hickory-resolver finds MX
//! records.
//!
//! [`Transport::send`] classifies every outcome for the queue ([`Attempt`]): accepted, a
//! temporary failure (4xx, no connection, timeout, TLS failure, authentication refused — a
//! configuration problem, not the mail's), or a permanent refusal (any other 5xx).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{AsyncSmtpTransport, PoolConfig};
use lettre::{AsyncTransport, Tokio1Executor};

use super::dkim::{DkimKey, Signer};
use super::message::Outgoing;
use super::queue::Attempt;

/// How long one SMTP command may take before the attempt counts as a temporary failure.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Open connections kept per server. lettre 0.11.23 leaves Nagle's algorithm on, so each mail
/// waits for the server's delayed ACK (about 40 ms on Linux) before its final `.` leaves
/// (lettre/lettre#1159 fixes it, not released yet): several connections in parallel hide it.
pub const POOL_SIZE: u32 = 8;

/// How the connection to the smarthost is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain SMTP (only for a relay on the same machine or a trusted network).
    Plain,
    /// `smtp+starttls://`: plain connection upgraded with STARTTLS, which is required.
    StartTls,
    /// `smtps://`: TLS from the first byte (implicit TLS, port 465).
    Tls,
}

impl Security {
    fn scheme(self) -> &'static str {
        match self {
            Security::Plain => "smtp",
            Security::StartTls => "smtp+starttls",
            Security::Tls => "smtps",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        }
    }
}

/// The configured smarthost. Its `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Smarthost {
    /// Plain, STARTTLS or implicit TLS.
    pub security: Security,
    /// The server's name (checked against its certificate) or IP address.
    pub host: String,
    /// The port.
    pub port: u16,
    /// The user name for SMTP authentication, if any.
    pub user: Option<String>,
    password: Option<String>,
}

impl fmt::Display for Smarthost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.security.scheme())?;
        if let Some(user) = &self.user {
            write!(f, "{user}:***@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for Smarthost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "a % not followed by two hexadecimal digits".to_owned())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8 once decoded".to_owned())
}

impl Smarthost {
    /// Parses `smtp://host:port`, `smtp+starttls://…` or `smtps://…`, with an optional
    /// `user:password@` (percent-encoded if it holds `:`, `@` or `%`). The port defaults to
    /// 25, 587 and 465.
    pub fn parse(text: &str) -> Result<Smarthost, String> {
        let text = text.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| "no scheme (smtp://, smtp+starttls:// or smtps://)".to_owned())?;
        let security = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => Security::Plain,
            "smtp+starttls" => Security::StartTls,
            "smtps" => Security::Tls,
            other => return Err(format!("unknown scheme {other}://")),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        if hostport.contains(['/', '?', '#', '@']) || hostport.is_empty() {
            return Err("expected host:port after the scheme, without a path".into());
        }
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| "an IPv6 address needs its closing ]".to_owned())?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err("unexpected text after the IPv6 address".into()),
            };
            (host.to_owned(), port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (hostport.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("bad port {p:?}"))?,
            None => security.default_port(),
        };
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err("no host name".into());
        }
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (u, p) = info.split_once(':').unwrap_or((info, ""));
                let u = percent_decode(u)?;
                if u.is_empty() {
                    return Err("an empty user name before @".into());
                }
                (Some(u), Some(percent_decode(p)?))
            }
        };
        Ok(Smarthost {
            security,
            host: host.to_ascii_lowercase(),
            port,
            user,
            password,
        })
    }
}

/// Where mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Nowhere: no smarthost and no direct delivery. Mails wait in the queue.
    None,
    /// The configured smarthost.
    Smarthost(Smarthost),
    /// The MX servers of each recipient's domain, on port 25.
    DirectMx,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::None => f.write_str("nowhere (no mail_smarthost, mail_direct_mx off)"),
            Route::Smarthost(s) => s.fmt(f),
            Route::DirectMx => f.write_str("the recipients' MX servers (mail_direct_mx)"),
        }
    }
}

/// Everything the relay needs from the configuration, checked once at start.
pub struct Settings {
    /// Where mail goes.
    pub route: Route,
    /// The `From` of every mail.
    pub from: Mailbox,
    /// The name given in EHLO.
    pub hello: String,
    /// DKIM signing, when a key is configured.
    pub dkim: Option<Arc<Signer>>,
    /// Extra certificate authorities to trust (PEM of `mail_tls_ca`).
    pub ca_pem: Option<Vec<u8>>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("route", &self.route)
            .field("from", &self.from.to_string())
            .field("hello", &self.hello)
            .field("dkim", &self.dkim.is_some())
            .field("ca", &self.ca_pem.is_some())
            .finish()
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

/// The `mail_*` keys of the configuration (`Config::mail_keys` gives them), unchecked.
#[derive(Debug, Clone, Default)]
pub struct MailKeys {
    /// `mail_smarthost`.
    pub smarthost: Option<Smarthost>,
    /// `mail_direct_mx`.
    pub direct_mx: bool,
    /// The `From` address (`mail_from`, else `ne-pas-repondre@` the first host name).
    pub from: String,
    /// The name given in EHLO (the first host name).
    pub hello: String,
    /// `mail_dkim_key`.
    pub dkim_key: Option<PathBuf>,
    /// `mail_dkim_selector`.
    pub dkim_selector: Option<String>,
    /// `mail_dkim_domain`.
    pub dkim_domain: Option<String>,
    /// `mail_tls_ca`.
    pub tls_ca: Option<PathBuf>,
}

impl Settings {
    /// Checks the mail keys (reads the DKIM key and the CA file).
    pub fn from_keys(config: &MailKeys) -> Result<Settings, String> {
        let route = match (&config.smarthost, config.direct_mx) {
            (Some(s), _) => Route::Smarthost(s.clone()),
            (None, true) => Route::DirectMx,
            (None, false) => Route::None,
        };
        let from_text = &config.from;
        let from: Mailbox = from_text
            .parse()
            .map_err(|e| format!("mail_from {from_text:?} is not an address: {e}"))?;
        let hello = config.hello.clone();
        let dkim = match &config.dkim_key {
            None => None,
            Some(path) => {
                let key = DkimKey::load(path)?;
                let selector = config
                    .dkim_selector
                    .clone()
                    .ok_or_else(|| "mail_dkim_key needs mail_dkim_selector".to_owned())?;
                let domain = config
                    .dkim_domain
                    .clone()
                    .unwrap_or_else(|| domain_of(from.email.as_ref()).to_owned());
                Some(Arc::new(Signer::new(key, domain, selector)))
            }
        };
        let ca_pem = match &config.tls_ca {
            None => None,
            Some(path) => {
                let pem = std::fs::read(path)
                    .map_err(|e| format!("cannot read mail_tls_ca {}: {e}", path.display()))?;
                Certificate::from_pem(&pem).map_err(|e| {
                    format!("mail_tls_ca {}: no PEM certificate: {e}", path.display())
                })?;
                Some(pem)
            }
        };
        Ok(Settings {
            route,
            from,
            hello,
            dkim,
            ca_pem,
        })
    }

    /// The domain of `Message-ID`s: the `From` address's.
    pub fn message_id_domain(&self) -> String {
        domain_of(self.from.email.as_ref()).to_owned()
    }

    fn tls(&self, domain: &str, verify: bool) -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(domain.to_owned())
            .certificate_store(CertificateStore::WebpkiRoots);
        if let Some(pem) = &self.ca_pem {
            let cert = Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            builder = builder.add_root_certificate(cert);
        }
        if !verify {
            builder = builder
                .dangerous_accept_invalid_certs(true)
                .dangerous_accept_invalid_hostnames(true);
        }
        builder.build_rustls().map_err(|e| e.to_string())
    }

    fn client_id(&self) -> ClientId {
        match self.hello.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => ClientId::Ipv4(ip),
            Ok(std::net::IpAddr::V6(ip)) => ClientId::Ipv6(ip),
            Err(_) => ClientId::Domain(self.hello.clone()),
        }
    }

    fn smtp(
        &self,
        host: &str,
        port: u16,
        tls: Tls,
        credentials: Option<Credentials>,
    ) -> AsyncSmtpTransport<Tokio1Executor> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .hello_name(self.client_id())
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(POOL_SIZE));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        builder.build()
    }
}

/// Sends mail on the configured route. Build it inside the Tokio runtime (its connection pool
/// runs a task there).
pub struct Transport {
    inner: Inner,
}

enum Inner {
    None,
    Smarthost(AsyncSmtpTransport<Tokio1Executor>),
    DirectMx(Box<DirectMx>),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::None => "none",
            Inner::Smarthost(_) => "smarthost",
            Inner::DirectMx(_) => "direct MX",
        };
        f.debug_struct("Transport").field("route", &kind).finish()
    }
}

/// The outcome of a send with the server's words, for `cartable mail test`.
pub type SendResult = Attempt;

impl Transport {
    /// The transport for `settings`.
    pub fn new(settings: &Arc<Settings>) -> Result<Transport, String> {
        let inner = match &settings.route {
            Route::None => Inner::None,
            Route::Smarthost(s) => {
                let tls = match s.security {
                    Security::Plain => Tls::None,
                    Security::StartTls => Tls::Required(settings.tls(&s.host, true)?),
                    Security::Tls => Tls::Wrapper(settings.tls(&s.host, true)?),
                };
                let credentials = s
                    .user
                    .clone()
                    .map(|u| Credentials::new(u, s.password.clone().unwrap_or_default()));
                Inner::Smarthost(settings.smtp(&s.host, s.port, tls, credentials))
            }
            Route::DirectMx => {
                let resolver = hickory_resolver::TokioResolver::builder_tokio()
                    .and_then(|b| b.build())
                    .map_err(|e| format!("cannot set up DNS resolution (/etc/resolv.conf): {e}"))?;
                Inner::DirectMx(Box::new(DirectMx {
                    settings: settings.clone(),
                    resolver,
                    pools: Mutex::new(HashMap::new()),
                }))
            }
        };
        Ok(Transport { inner })
    }

    /// Whether mail can leave at all.
    pub fn is_configured(&self) -> bool {
        !matches!(self.inner, Inner::None)
    }

    /// Hands `message` to the server (one attempt), its bytes as they are.
    pub async fn send(&self, message: &Outgoing) -> SendResult {
        match &self.inner {
            Inner::None => Attempt::Transient("no mail_smarthost configured".into()),
            Inner::Smarthost(smtp) => {
                outcome(smtp.send_raw(&message.envelope, &message.bytes).await)
            }
            Inner::DirectMx(direct) => direct.send(message).await,
        }
    }
}

fn outcome(
    result: Result<lettre::transport::smtp::response::Response, lettre::transport::smtp::Error>,
) -> Attempt {
    match result {
        Ok(response) => Attempt::Accepted(format!(
            "{} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        )),
        Err(e) => classify(&e),
    }
}

/// Permanent only for a 5xx that is about this mail: a refused authentication (530, 534, 535,
/// 538) is the configuration's problem and is retried like a 4xx.
fn classify(e: &lettre::transport::smtp::Error) -> Attempt {
    let text = e.to_string();
    match e.status().map(u16::from) {
        Some(530 | 534 | 535 | 538) => Attempt::Transient(text),
        Some(_) if e.is_permanent() => Attempt::Permanent(text),
        _ => Attempt::Transient(text),
    }
}

/// Delivery to the recipient domain's MX servers (RFC 5321 §5.1): by preference, falling back
/// to the domain itself when it has no MX; a "null MX" (RFC 7505) refuses mail for good.
/// STARTTLS when the server offers it, without checking its certificate (like an MTA without
/// DANE or MTA-STS: it protects against eavesdropping, not against an active attacker — use a
/// smarthost where that matters).
struct DirectMx {
    settings: Arc<Settings>,
    resolver: hickory_resolver::TokioResolver,
    pools: Mutex<HashMap<String, AsyncSmtpTransport<Tokio1Executor>>>,
}

/// At most this many MX hosts are tried for one attempt.
const MAX_MX_TRIED: usize = 5;

/// The hosts to try from `(preference, host)` MX records, best first. `None`: a null MX, the
/// domain accepts no mail.
pub fn mx_order(mut records: Vec<(u16, String)>, domain: &str) -> Option<Vec<String>> {
    let hosts: Vec<String> = records
        .iter()
        .map(|(_, h)| h.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    if records.len() == 1 && hosts[0].is_empty() {
        return None;
    }
    if records.is_empty() {
        return Some(vec![domain.to_ascii_lowercase()]);
    }
    records.sort_by_key(|(pref, _)| *pref);
    let mut out: Vec<String> = Vec::new();
    for (_, host) in records {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if !host.is_empty() && !out.contains(&host) {
            out.push(host);
        }
    }
    Some(out)
}

impl DirectMx {
    fn transport_for(&self, host: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut pools = self
            .pools
            .lock()
            .map_err(|_| "the MX connection table is poisoned".to_owned())?;
        if let Some(t) = pools.get(host) {
            return Ok(t.clone());
        }
        if pools.len() >= 64 {
            pools.clear();
        }
        let tls = Tls::Opportunistic(self.settings.tls(host, false)?);
        let t = self.settings.smtp(host, 25, tls, None);
        pools.insert(host.to_owned(), t.clone());
        Ok(t)
    }

    async fn hosts(&self, domain: &str) -> Result<Vec<String>, Attempt> {
        use hickory_resolver::proto::rr::RData;
        let fqdn = format!("{}.", domain.trim_end_matches('.'));
        match self.resolver.mx_lookup(fqdn.as_str()).await {
            Ok(lookup) => {
                let records: Vec<(u16, String)> = lookup
                    .answers()
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::MX(mx) => Some((mx.preference, mx.exchange.to_ascii())),
                        _ => None,
                    })
                    .collect();
                mx_order(records, domain).ok_or_else(|| {
                    Attempt::Permanent(format!("{domain} accepts no mail (null MX, RFC 7505)"))
                })
            }
            Err(e) if e.is_nx_domain() => Err(Attempt::Permanent(format!(
                "the domain {domain} does not exist"
            ))),
            Err(e) if e.is_no_records_found() => Ok(vec![domain.to_ascii_lowercase()]),
            Err(e) => Err(Attempt::Transient(format!("DNS lookup of {domain}: {e}"))),
        }
    }

    async fn send(&self, message: &Outgoing) -> Attempt {
        let domains: Vec<String> = message
            .envelope
            .to()
            .iter()
            .map(|a| a.domain().to_owned())
            .collect();
        let Some(domain) = domains.first() else {
            return Attempt::Permanent("no recipient".into());
        };
        let hosts = match self.hosts(domain).await {
            Ok(h) => h,
            Err(attempt) => return attempt,
        };
        let mut last = Attempt::Transient(format!("no MX host for {domain}"));
        for host in hosts.iter().take(MAX_MX_TRIED) {
            let transport = match self.transport_for(host) {
                Ok(t) => t,
                Err(e) => return Attempt::Transient(e),
            };
            match outcome(transport.send_raw(&message.envelope, &message.bytes).await) {
                Attempt::Transient(e) => last = Attempt::Transient(format!("{host}: {e}")),
                done => return done,
            }
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smarthost_urls() {
        let s = Smarthost::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.security, s.host.as_str(), s.port),
            (Security::Plain, "127.0.0.1", 2525)
        );
        let s = Smarthost::parse("smtp+starttls://relais%40ac:p%3Aw@Smtp.AC-Test.fr").unwrap();
        assert_eq!(s.security, Security::StartTls);
        assert_eq!(s.port, 587);
        assert_eq!(s.host, "smtp.ac-test.fr");
        assert_eq!(s.user.as_deref(), Some("relais@ac"));
        assert_eq!(s.password.as_deref(), Some("p:w"));
        assert_eq!(
            s.to_string(),
            "smtp+starttls://relais@ac:***@smtp.ac-test.fr:587"
        );
        assert!(!format!("{s:?}").contains("p:w"));
        let s = Smarthost::parse("smtps://u:a@b@mail.example:465/").unwrap();
        assert_eq!(s.password.as_deref(), Some("a@b"));
        assert_eq!(s.port, 465);
        let s = Smarthost::parse("smtp://[::1]:25").unwrap();
        assert_eq!(s.host, "::1");
        assert_eq!(s.to_string(), "smtp://[::1]:25");
        for bad in [
            "127.0.0.1:25",
            "http://a:1",
            "smtp://",
            "smtp://a:0",
            "smtp://a:x",
            "smtp://a/b",
            "smtp://:p@host",
            "smtp://u:%zz@host",
        ] {
            assert!(Smarthost::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mx_records_by_preference_with_fallbacks() {
        assert_eq!(
            mx_order(
                vec![(20, "b.mx.example.".into()), (10, "A.mx.example.".into())],
                "example"
            ),
            Some(vec!["a.mx.example".into(), "b.mx.example".into()])
        );
        assert_eq!(
            mx_order(Vec::new(), "Example.org"),
            Some(vec!["example.org".into()])
        );
        assert_eq!(mx_order(vec![(0, ".".into())], "example.org"), None);
    }
}
