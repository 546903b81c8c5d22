//! `cartable mail test`: one mail through the configured transport.

use anyhow::{Result, bail};

use crate::clock::SharedClock;
use crate::config::Config;

use super::*;

/// What to look at when a test mail was not accepted.
pub(super) fn mail_hint(error: &str) -> &'static str {
    let e = error.to_ascii_lowercase();
    if e.contains("connection refused") {
        "nothing listens there: check mail_smarthost's host and port, and that the mail server runs"
    } else if e.contains("timed out") || e.contains("timeout") {
        "no answer in time: check the host and port, and that a firewall lets this machine reach the mail server"
    } else if e.contains("tls") || e.contains("certificate") || e.contains("starttls") {
        "the TLS connection failed: check the scheme (smtp+starttls:// for port 587, smtps:// for port 465), that the host name matches the server's certificate, or trust its authority with mail_tls_ca"
    } else if ["(530)", "(534)", "(535)", "(538)"]
        .iter()
        .any(|code| e.contains(code))
    {
        "the server refused the authentication: check the user and password in mail_smarthost (percent-encode : @ and % in them)"
    } else if e.contains("(55") {
        "the server refused this mail: check the recipient address, and that the server accepts mail from mail_from"
    } else if e.contains("dns") || e.contains("resolve") || e.contains("lookup") {
        "the host name does not resolve: check mail_smarthost's host and /etc/resolv.conf"
    } else {
        "see docs/mail.md for each setting"
    }
}

/// `mail test ADDRESS`: one mail through the configured transport, the outcome on stdout.
pub(super) fn mail_test(config: &Config, clock: SharedClock, address: &str) -> Result<()> {
    use crate::mail::templates::{self, Template};
    use crate::mail::transport::{Route, Settings, Transport};
    use crate::mail::{Attempt, MailId, MailKind, MailState, OutgoingMail};
    install_crypto_provider();
    let settings = std::sync::Arc::new(
        Settings::from_keys(&config.mail_keys())
            .map_err(|e| anyhow::anyhow!("mail settings: {e}"))?,
    );
    if settings.route == Route::None {
        bail!(
            "no mail_smarthost configured (and mail_direct_mx is off): set mail_smarthost, e.g. CARTABLE_MAIL_SMARTHOST=smtp+starttls://user:password@smtp.example.fr:587 (see docs/mail.md)"
        );
    }
    let url = config.instance_url();
    let text = templates::render(
        Template::Test,
        crate::i18n::Lang::Fr,
        &[("instance", url.as_str().into())],
    );
    let now = clock.now();
    let mut key = [0u8; 8];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mail = OutgoingMail {
        queued_at: now,
        kind: MailKind::Test,
        person: None,
        sender: None,
        to: address.trim().to_owned(),
        subject: text.subject,
        body: text.body,
        message_key: format!("test-{}", u64::from_be_bytes(key)),
        not_before: None,
        expires_at: now,
        state: MailState::Queued,
    };
    let message = crate::mail::message::build(&settings, MailId(0), &mail, now)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Sending a test mail from {} to {} through {}",
        settings.from, mail.to, settings.route
    );
    let outcome = runtime()?.block_on(async {
        let transport = Transport::new(&settings).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok::<_, anyhow::Error>(transport.send(&message).await)
    })?;
    match outcome {
        Attempt::Accepted(reply) => {
            println!("Accepted by the server: {reply}");
            println!(
                "The mail left Cartable; if it does not arrive, look at the mail server's log and the recipient's spam folder."
            );
            Ok(())
        }
        Attempt::Transient(error) => {
            println!("NOT SENT (temporary failure; the relay would retry): {error}");
            println!("Check: {}", mail_hint(&error));
            bail!("the test mail was not accepted")
        }
        Attempt::Permanent(error) => {
            println!("NOT SENT (refused for good): {error}");
            println!("Check: {}", mail_hint(&error));
            bail!("the test mail was refused")
        }
    }
}
