//! DKIM signatures (RFC 6376): `c=relaxed/relaxed`, RSA-SHA256 (2048 to 4096 bits) or
//! Ed25519-SHA256 (RFC 8463), with ring.
//!
//! The signature is computed over the bytes of the message **exactly as they are sent** (the
//! output of lettre's formatter), then its `DKIM-Signature` field is put in front of them.
//! lettre's own signer (0.11) was not used: it hashes a re-serialisation of its header model
//! rather than the bytes sent, and with `simple` header canonicalisation (its default) it hashes
//! its own `DKIM-Signature` folded as it was with an empty `b=`, while the field sent is folded
//! differently once the signature is in it — every mail failed verification. It also cannot sign
//! a field twice, which over-signing needs.
//!
//! Signed fields: [`SIGNED_FIELDS`], each named once more than the message has it
//! ("over-signing", RFC 6376 §8.15): a field added on the way breaks the signature.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use sha2::{Digest, Sha256};

/// The header fields signed (lower case, the order of `h=`).
pub const SIGNED_FIELDS: [&str; 9] = [
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "auto-submitted",
];

/// Folded lines of the `DKIM-Signature` field stay under this length.
const LINE: usize = 76;

/// A DKIM private key.
pub enum DkimKey {
    /// RSA, 2048 to 4096 bits: `a=rsa-sha256`.
    Rsa(RsaKeyPair),
    /// Ed25519: `a=ed25519-sha256`.
    Ed25519(Ed25519KeyPair),
}

impl std::fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.algorithm())
    }
}

/// The body of the PEM block of `text`, decoded, or why not.
fn pem_body(text: &str) -> Result<Vec<u8>, String> {
    let mut inside = false;
    let mut b64 = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN") {
            inside = true;
        } else if line.starts_with("-----END") {
            break;
        } else if inside {
            if line.contains(':') {
                return Err(
                    "an encrypted key: decrypt it first (`openssl pkey -in key.pem -out plain.pem`)"
                        .into(),
                );
            }
            b64.push_str(line);
        }
    }
    BASE64
        .decode(b64.as_bytes())
        .map_err(|e| format!("the PEM block is not base64: {e}"))
}

fn rsa_rejected(e: ring::error::KeyRejected) -> String {
    match e.to_string().as_str() {
        "TooSmall" | "TooLarge" | "PrivateModulusLenNotMultipleOf512Bits" => {
            "an RSA key must have 2048, 3072 or 4096 bits (RFC 8301: 1024 bits are too weak)".into()
        }
        other => format!("not a usable RSA key ({other})"),
    }
}

impl DkimKey {
    /// Reads a key: RSA in PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) or PKCS#8 PEM (`BEGIN PRIVATE
    /// KEY`, what `openssl genpkey` writes), Ed25519 in PKCS#8 PEM, or the base64 of a 32-byte
    /// Ed25519 seed (the form lettre read, still accepted).
    pub fn from_text(text: &str) -> Result<DkimKey, String> {
        if text.contains("ENCRYPTED") {
            Err(
                "an encrypted key: decrypt it first (`openssl pkey -in key.pem -out plain.pem`)"
                    .into(),
            )
        } else if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
            let der = pem_body(text)?;
            RsaKeyPair::from_der(&der)
                .map(DkimKey::Rsa)
                .map_err(rsa_rejected)
        } else if text.contains("-----BEGIN PRIVATE KEY-----") {
            let der = pem_body(text)?;
            match RsaKeyPair::from_pkcs8(&der) {
                Ok(k) => Ok(DkimKey::Rsa(k)),
                Err(e) if matches!(e.to_string().as_str(), "TooSmall" | "TooLarge") => {
                    Err(rsa_rejected(e))
                }
                Err(_) => Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
                    .map(DkimKey::Ed25519)
                    .map_err(|_| "a PKCS#8 key that is neither RSA nor Ed25519".to_owned()),
            }
        } else if text.contains("-----BEGIN") {
            Err("only RSA (PKCS#1 or PKCS#8 PEM) and Ed25519 (PKCS#8 PEM, or the base64 of its 32 bytes) keys are accepted".into())
        } else {
            let seed = BASE64
                .decode(text.trim().as_bytes())
                .map_err(|_| "neither a PEM key nor the base64 of an Ed25519 key".to_owned())?;
            Ed25519KeyPair::from_seed_unchecked(&seed)
                .map(DkimKey::Ed25519)
                .map_err(|_| {
                    format!(
                        "the base64 of an Ed25519 key must give 32 bytes, not {}",
                        seed.len()
                    )
                })
        }
    }

    /// Reads the key file at `path` (errors name `mail_dkim_key` and the path).
    pub fn load(path: &Path) -> Result<DkimKey, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read mail_dkim_key {}: {e}", path.display()))?;
        DkimKey::from_text(&text).map_err(|e| {
            format!(
                "mail_dkim_key {}: {e} (see docs/mail.md#dkim)",
                path.display()
            )
        })
    }

    /// The `a=` tag.
    pub fn algorithm(&self) -> &'static str {
        match self {
            DkimKey::Rsa(_) => "rsa-sha256",
            DkimKey::Ed25519(_) => "ed25519-sha256",
        }
    }

    /// The TXT record to publish at `{selector}._domainkey.{domain}`: for RSA the
    /// SubjectPublicKeyInfo (what `openssl rsa -pubout` gives), for Ed25519 the 32 raw bytes.
    pub fn dns_record(&self) -> String {
        match self {
            DkimKey::Rsa(k) => {
                let spki = rsa_spki(k.public_key().as_ref());
                format!("v=DKIM1; k=rsa; p={}", BASE64.encode(spki))
            }
            DkimKey::Ed25519(k) => format!(
                "v=DKIM1; k=ed25519; p={}",
                BASE64.encode(k.public_key().as_ref())
            ),
        }
    }

    /// The signature of the canonicalised header fields `data`.
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            DkimKey::Rsa(k) => {
                let mut signature = vec![0; k.public().modulus_len()];
                k.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    data,
                    &mut signature,
                )
                .map_err(|_| "the RSA signature failed".to_owned())?;
                Ok(signature)
            }
            // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data.
            DkimKey::Ed25519(k) => Ok(k.sign(Sha256::digest(data).as_slice()).as_ref().to_vec()),
        }
    }
}

/// DER length bytes.
fn der_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
}

/// Wraps a PKCS#1 `RSAPublicKey` in a SubjectPublicKeyInfo.
fn rsa_spki(pkcs1: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier { rsaEncryption, NULL }
    const ALGORITHM: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bits = vec![0x03];
    der_len(pkcs1.len() + 1, &mut bits);
    bits.push(0);
    bits.extend_from_slice(pkcs1);
    let mut out = vec![0x30];
    der_len(ALGORITHM.len() + bits.len(), &mut out);
    out.extend_from_slice(&ALGORITHM);
    out.extend_from_slice(&bits);
    out
}

/// Who signs: the key, `d=` and `s=`.
#[derive(Debug)]
pub struct Signer {
    key: DkimKey,
    domain: String,
    selector: String,
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Collapses runs of spaces and tabs into one space and drops them at both ends.
fn squeeze(text: &[u8], out: &mut Vec<u8>) {
    let mut space = false;
    let start = out.len();
    for &b in text {
        if is_wsp(b) {
            space = true;
        } else {
            if space && out.len() > start {
                out.push(b' ');
            }
            space = false;
            out.push(b);
        }
    }
}

/// Relaxed canonicalisation of one header field (RFC 6376 §3.4.2), `Name: value` with its
/// folding and without its final CRLF: `name:value` and CRLF.
pub fn relaxed_field(field: &[u8]) -> Vec<u8> {
    let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
    let (name, value) = field.split_at(colon);
    let mut out = Vec::with_capacity(field.len());
    out.extend(name.trim_ascii_end().iter().map(u8::to_ascii_lowercase));
    out.push(b':');
    let unfolded: Vec<u8> = value
        .get(1..)
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    squeeze(&unfolded, &mut out);
    out.extend_from_slice(b"\r\n");
    out
}

/// Relaxed canonicalisation of a body (RFC 6376 §3.4.4).
pub fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let body = body.strip_suffix(b"\r\n").unwrap_or(body);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    if !body.is_empty() {
        let mut rest = body;
        loop {
            let (line, next) = match rest.windows(2).position(|w| w == b"\r\n") {
                Some(i) => (&rest[..i], Some(&rest[i + 2..])),
                None => (rest, None),
            };
            // Inside a line runs become one space; at its end they go (squeeze drops them, and
            // a line that began with spaces keeps one).
            let mut l = Vec::with_capacity(line.len());
            if line.first().copied().is_some_and(is_wsp) && line.iter().any(|&b| !is_wsp(b)) {
                l.push(b' ');
            }
            squeeze(line, &mut l);
            lines.push(l);
            match next {
                Some(n) => rest = n,
                None => break,
            }
        }
    }
    while lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    let mut out = Vec::with_capacity(body.len() + 2);
    for l in lines {
        out.extend_from_slice(&l);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The header fields (each with its folding, without its final CRLF) and the body.
fn split(message: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let (head, body) = match message.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&message[..i + 2], &message[i + 4..]),
        None => (message, &[][..]),
    };
    let mut fields: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < head.len() {
        if &head[i..i + 2] == b"\r\n" {
            let next = head.get(i + 2).copied();
            if !next.is_some_and(is_wsp) {
                fields.push(&head[start..i]);
                start = i + 2;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    if start < head.len() {
        fields.push(&head[start..]);
    }
    (fields, body)
}

fn field_name(field: &[u8]) -> &[u8] {
    let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
    field[..colon].trim_ascii_end()
}

/// Appends `token` to the folded field text (after a space when `spaced`), starting a
/// continuation line when the current one would grow past [`LINE`].
fn fold(text: &mut String, line_start: &mut usize, token: &str, spaced: bool) {
    if text.len() - *line_start + 1 + token.len() > LINE {
        text.push_str("\r\n ");
        *line_start = text.len() - 1;
    } else if spaced {
        text.push(' ');
    }
    text.push_str(token);
}

impl Signer {
    /// Signs for `domain` (`d=`) with the key published under `selector` (`s=`).
    pub fn new(key: DkimKey, domain: String, selector: String) -> Signer {
        Signer {
            key,
            domain,
            selector,
        }
    }

    /// The key.
    pub fn key(&self) -> &DkimKey {
        &self.key
    }

    /// The `DKIM-Signature` field (folded, ending with CRLF) for `message` — its bytes as they
    /// will be sent — signed at `now` (`t=`).
    pub fn signature_field(&self, message: &[u8], now: jiff::Timestamp) -> Result<String, String> {
        let (fields, body) = split(message);
        let body_hash = BASE64.encode(Sha256::digest(relaxed_body(body)).as_slice());

        // h=: each name once more than the message has it; data: the fields bottom up.
        let mut names: Vec<&str> = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        for name in SIGNED_FIELDS {
            let present: Vec<&[u8]> = fields
                .iter()
                .copied()
                .filter(|f| field_name(f).eq_ignore_ascii_case(name.as_bytes()))
                .collect();
            for f in present.iter().rev() {
                data.extend_from_slice(&relaxed_field(f));
            }
            names.extend(std::iter::repeat_n(name, present.len() + 1));
        }

        let mut text = String::from("DKIM-Signature:");
        let mut line_start = 0;
        let mut tags: Vec<(String, bool)> = [
            "v=1;".to_owned(),
            format!("a={};", self.key.algorithm()),
            "c=relaxed/relaxed;".to_owned(),
            format!("d={};", self.domain),
            format!("s={};", self.selector),
            format!("t={};", now.as_second()),
        ]
        .into_iter()
        .map(|t| (t, true))
        .collect();
        // h= may fold after its colons.
        let last = names.len().saturating_sub(1);
        for (i, name) in names.iter().enumerate() {
            let prefix = if i == 0 { "h=" } else { "" };
            let suffix = if i == last { ";" } else { ":" };
            tags.push((format!("{prefix}{name}{suffix}"), i == 0));
        }
        tags.push((format!("bh={body_hash};"), true));
        tags.push(("b=".to_owned(), true));
        for (tag, spaced) in &tags {
            fold(&mut text, &mut line_start, tag, *spaced);
        }
        // The field as sent with an empty b= is the last datum (without its CRLF).
        let own = relaxed_field(text.as_bytes());
        data.extend_from_slice(own.strip_suffix(b"\r\n").unwrap_or(&own));

        let signature = BASE64.encode(self.key.sign(&data)?);
        let mut rest = signature.as_str();
        while !rest.is_empty() {
            let mut room = LINE.saturating_sub(text.len() - line_start);
            if room < 8 {
                text.push_str("\r\n ");
                line_start = text.len() - 1;
                room = LINE - 1;
            }
            let (chunk, after) = rest.split_at(room.min(rest.len()));
            text.push_str(chunk);
            rest = after;
        }
        text.push_str("\r\n");
        Ok(text)
    }

    /// `message` with its `DKIM-Signature` field in front.
    pub fn sign(&self, message: Vec<u8>, now: jiff::Timestamp) -> Result<Vec<u8>, String> {
        let field = self.signature_field(&message, now)?;
        let mut out = Vec::with_capacity(field.len() + message.len());
        out.extend_from_slice(field.as_bytes());
        out.extend_from_slice(&message);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA_PEM: &str = include_str!("../../tests/it/dkim_test_rsa.pem");
    const RSA_DNS: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtHeWM4cfErxw5HKmRWfDa1x2BMNqH0VvSPXNKLeiVn50kn/E+fsm8rOPH/UnPC3jfedqipWwfamrYyZq36qVstAO1YvDYEddVOynVG2gsVv9+KZ05JpZrcNckx2LRJZ+TYTfcwsB7pS5vY0Ja+MxfbnnoF0AK3ceUWTDyIp9j7s+bv7VRdb6PR0UhISfbyfMtrnqAcyeDuRK/ZTour/ANuptt654SDYTIQVz+e4EHyC1Gqnd/a615qz5UTOIFCJMKz+XEnM4vOnNMwPGuRvY4usucBc7aI8ws2YQSokKbKB8M9PR33W/oKIw8tLgvNwCKJ1oY7NnsgduxFEtamFRQwIDAQAB";

    #[test]
    fn the_canonicalisation_example_of_rfc_6376() {
        // §3.4.6: "A: X", "B : Y<HTAB><CRLF><SP>Z  ", body " C <CRLF>D <HTAB> E<CRLF><CRLF><CRLF>".
        let (fields, body) = split(b"A: X\r\nB : Y\t\r\n Z  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n");
        let canon: Vec<u8> = fields.iter().flat_map(|f| relaxed_field(f)).collect();
        assert_eq!(canon, b"a:X\r\nb:Y Z\r\n");
        assert_eq!(relaxed_body(body), b" C\r\nD E\r\n");
        assert_eq!(relaxed_body(b""), b"");
        assert_eq!(relaxed_body(b"\r\n\r\n"), b"");
        assert_eq!(relaxed_body(b"no end"), b"no end\r\n");
        assert_eq!(relaxed_body(b"\t \r\nx"), b"\r\nx\r\n");
    }

    #[test]
    fn keys_in_every_accepted_form_and_clear_refusals() {
        let rsa = DkimKey::from_text(RSA_PEM).unwrap();
        assert_eq!(rsa.algorithm(), "rsa-sha256");
        assert_eq!(rsa.dns_record(), format!("v=DKIM1; k=rsa; p={RSA_DNS}"));
        let seed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n";
        let ed = DkimKey::from_text(seed).unwrap();
        assert_eq!(ed.algorithm(), "ed25519-sha256");
        // The PKCS#8 form of an Ed25519 key (what `openssl genpkey -algorithm ed25519` writes).
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            BASE64.encode(pkcs8.as_ref())
        );
        assert_eq!(
            DkimKey::from_text(&pem).unwrap().algorithm(),
            "ed25519-sha256"
        );
        for (bad, why) in [
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "neither RSA",
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                "only RSA",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "encrypted",
            ),
            ("AAAA", "32 bytes"),
            ("pas une clé", "neither a PEM"),
        ] {
            let e = DkimKey::from_text(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn a_signature_covers_the_bytes_sent_and_verifies_with_the_public_key() {
        use ring::signature::{ED25519, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
        let message = b"From: =?utf-8?b?Q29sbMOoZ2U=?= <a@college.example>\r\nTo: b@parents.example\r\nSubject: =?utf-8?b?UsOpdW5pb24=?=\r\nDate: Tue, 01 Sep 2026 06:00:00 +0000\r\n\r\nBonjour  Zo\xc3\xa9 \r\n\r\n";
        let now: jiff::Timestamp = "2026-09-01T06:00:00Z".parse().unwrap();
        for key in [
            DkimKey::from_text(RSA_PEM).unwrap(),
            DkimKey::from_text("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=").unwrap(),
        ] {
            let public = match &key {
                DkimKey::Rsa(k) => k.public_key().as_ref().to_vec(),
                DkimKey::Ed25519(k) => k.public_key().as_ref().to_vec(),
            };
            let ed = matches!(key, DkimKey::Ed25519(_));
            let signer = Signer::new(key, "college.example".into(), "s1".into());
            let signed = signer.sign(message.to_vec(), now).unwrap();
            let text = String::from_utf8(signed.clone()).unwrap();
            assert!(text.ends_with(std::str::from_utf8(message).unwrap()));
            let field = text.split_once("\r\nFrom:").unwrap().0;
            assert!(field.lines().all(|l| l.len() <= LINE), "{field}");
            assert!(field.contains("c=relaxed/relaxed;"), "{field}");
            assert!(field.contains("t=1788242400;"), "{field}");
            assert!(
                field
                    .replace("\r\n ", "")
                    .contains("h=from:from:to:to:subject:subject:date:date:message-id:"),
                "{field}"
            );
            // Verify as a receiver would: the fields bottom up, then this field without b=.
            let unfolded = field.replace("\r\n", "");
            let (without_b, b) = unfolded.split_once(" b=").unwrap();
            let signature = BASE64.decode(b.replace(' ', "")).unwrap();
            let mut data = Vec::new();
            for f in [
                "From: =?utf-8?b?Q29sbMOoZ2U=?= <a@college.example>",
                "To: b@parents.example",
                "Subject: =?utf-8?b?UsOpdW5pb24=?=",
                "Date: Tue, 01 Sep 2026 06:00:00 +0000",
            ] {
                data.extend(relaxed_field(f.as_bytes()));
            }
            data.extend(format!("dkim-signature:{} b=", &without_b[16..]).bytes());
            assert!(without_b.starts_with("DKIM-Signature: v=1;"));
            let (algorithm, signed_data): (
                &'static dyn ring::signature::VerificationAlgorithm,
                Vec<u8>,
            ) = if ed {
                (&ED25519, Sha256::digest(&data).to_vec())
            } else {
                (&RSA_PKCS1_2048_8192_SHA256, data)
            };
            UnparsedPublicKey::new(algorithm, public)
                .verify(&signed_data, &signature)
                .unwrap();
            assert!(
                field.contains(&format!(
                    "bh={};",
                    BASE64.encode(Sha256::digest(b"Bonjour Zo\xc3\xa9\r\n").as_slice())
                )),
                "{field}"
            );
        }
    }
}
