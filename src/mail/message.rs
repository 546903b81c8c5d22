//! Building the MIME message of a queued mail: `From`, `To`, a UTF-8 `Subject` (RFC 2047
//! encoded by lettre when it is not ASCII), `Date` from the injected clock, a `Message-ID`
//! fixed at queueing (`<key@domain of From>`), `Auto-Submitted: auto-generated` (RFC 3834, so
//! that auto-responders stay quiet), `MIME-Version: 1.0` and one `text/plain; charset=utf-8`
//! part. Signed with DKIM when a key is configured ([`super::dkim`]), over the bytes as sent.

use jiff::Timestamp;
use lettre::Message;
use lettre::address::Envelope;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue, MIME_VERSION_1_0};

use super::queue::{MailId, OutgoingMail};
use super::transport::Settings;

/// A message ready for SMTP: its envelope and its bytes exactly as they are sent.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// `MAIL FROM` and `RCPT TO`.
    pub envelope: Envelope,
    /// The message (with its `DKIM-Signature` first when signed).
    pub bytes: Vec<u8>,
}

/// Builds the message of `mail` (queued as `id`) to send at `now`. An `Err` is a mail that can
/// never be sent (a bad address): the relay fails it at once with this reason.
pub fn build(
    settings: &Settings,
    id: MailId,
    mail: &OutgoingMail,
    now: Timestamp,
) -> Result<Outgoing, String> {
    let to: Mailbox = mail
        .to
        .trim()
        .parse()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    let message_id = format!(
        "<{}.{}@{}>",
        mail.message_key,
        id,
        settings.message_id_domain()
    );
    let message = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .date(std::time::SystemTime::from(now))
        .message_id(Some(message_id))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ))
        .header(MIME_VERSION_1_0)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| format!("cannot build the message: {e}"))?;
    let bytes = message.formatted();
    let bytes = match &settings.dkim {
        Some(signer) => signer.sign(bytes, now)?,
        None => bytes,
    };
    Ok(Outgoing {
        envelope: message.envelope().clone(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::queue::{MailKind, MailState};
    use crate::mail::transport::MailKeys;

    /// The keys of a default configuration served as `ent.college.fr`.
    fn keys() -> MailKeys {
        MailKeys {
            from: "Cartable <ne-pas-repondre@ent.college.fr>".into(),
            hello: "ent.college.fr".into(),
            ..MailKeys::default()
        }
    }

    fn mail(to: &str) -> OutgoingMail {
        OutgoingMail {
            queued_at: Timestamp::UNIX_EPOCH,
            kind: MailKind::Test,
            person: None,
            sender: None,
            to: to.into(),
            subject: "Récupération du compte".into(),
            body: "Bonjour Zoé,\nvoici le lien.\n".into(),
            message_key: "0123abcd".into(),
            not_before: None,
            expires_at: Timestamp::UNIX_EPOCH,
            state: MailState::Queued,
        }
    }

    #[test]
    fn headers_of_a_message() {
        let settings = Settings::from_keys(&keys()).unwrap();
        let now: Timestamp = "2026-09-01T06:00:00Z".parse().unwrap();
        let m = build(&settings, MailId(7), &mail("zoe@parents.example"), now).unwrap();
        let text = String::from_utf8(m.bytes).unwrap();
        assert!(
            text.contains("From: Cartable <ne-pas-repondre@ent.college.fr>\r\n"),
            "{text}"
        );
        assert!(text.contains("To: zoe@parents.example\r\n"), "{text}");
        assert!(
            text.contains("Message-ID: <0123abcd.7@ent.college.fr>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Date: Tue, 01 Sep 2026 06:00:00 +0000\r\n"),
            "{text}"
        );
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(
            text.contains("Content-Type: text/plain; charset=utf-8\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Auto-Submitted: auto-generated\r\n"),
            "{text}"
        );
        assert!(text.contains("MIME-Version: 1.0\r\n"), "{text}");
        assert!(!text.contains("DKIM-Signature"), "{text}");
        assert!(build(&settings, MailId(8), &mail("pas une adresse"), now).is_err());
    }

    #[test]
    fn dkim_signature_with_an_ed25519_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("dkim.key");
        // Any 32 bytes are an Ed25519 seed.
        std::fs::write(&key, "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n").unwrap();
        let config = MailKeys {
            dkim_key: Some(key),
            dkim_selector: Some("cartable2026".into()),
            ..keys()
        };
        let settings = Settings::from_keys(&config).unwrap();
        let now: Timestamp = "2026-09-01T06:00:00Z".parse().unwrap();
        let m = build(&settings, MailId(1), &mail("a@b.example"), now).unwrap();
        let text = String::from_utf8(m.bytes).unwrap();
        assert!(text.starts_with("DKIM-Signature: v=1; "), "{text}");
        assert!(text.contains("a=ed25519-sha256"), "{text}");
        assert!(text.contains("c=relaxed/relaxed"), "{text}");
        assert!(text.contains("d=ent.college.fr"), "{text}");
        assert!(text.contains("s=cartable2026"), "{text}");
    }

    #[test]
    fn dkim_key_problems_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("pkcs8.pem");
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let config = MailKeys {
            dkim_key: Some(key.clone()),
            dkim_selector: Some("s".into()),
            ..keys()
        };
        let e = Settings::from_keys(&config).unwrap_err();
        assert!(e.contains("neither RSA nor Ed25519"), "{e}");
        assert!(e.contains("pkcs8.pem"), "{e}");
        let config = MailKeys {
            dkim_key: Some(dir.path().join("missing")),
            dkim_selector: Some("s".into()),
            ..keys()
        };
        assert!(
            Settings::from_keys(&config)
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
