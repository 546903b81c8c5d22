//! TLS: the configured PEM files, or a self-signed certificate generated once into
//! `<data_dir>/tls/` and reused (regenerated only if the configured host names change).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::Config;

/// A certificate problem that prevents starting.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A configured file is missing, unreadable or not what it should be.
    #[error("TLS {what} {path}: {reason}")]
    BadFile {
        /// "certificate" or "private key".
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The key does not match the certificate, or rustls refused them.
    #[error("TLS certificate {cert} and key {key} cannot be used together: {reason}")]
    Mismatch {
        /// Certificate file.
        cert: PathBuf,
        /// Key file.
        key: PathBuf,
        /// What rustls said.
        reason: String,
    },
    /// Generating or saving the self-signed certificate failed.
    #[error("cannot create the self-signed certificate in {dir}: {reason}")]
    SelfSigned {
        /// The directory.
        dir: PathBuf,
        /// Why.
        reason: String,
    },
}

/// Where the certificate in use comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertSource {
    /// Configured PEM files.
    Configured,
    /// Self-signed, kept in the data directory.
    SelfSigned {
        /// The certificate file (to give browsers or `curl --cacert`).
        cert: PathBuf,
        /// Whether it was created by this start.
        created: bool,
    },
}

/// The self-signed certificate and key paths inside a data directory.
pub fn self_signed_paths(data_dir: &Path) -> (PathBuf, PathBuf) {
    let dir = data_dir.join("tls");
    (dir.join("self-signed.crt"), dir.join("self-signed.key"))
}

/// Builds the rustls configuration for `config`.
pub fn server_config(config: &Config) -> Result<(Arc<ServerConfig>, CertSource), TlsError> {
    let (cert, key, source) = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => (cert.clone(), key.clone(), CertSource::Configured),
        _ => {
            let (cert, key, created) = ensure_self_signed(&config.data_dir, &config.host_names)?;
            (cert.clone(), key, CertSource::SelfSigned { cert, created })
        }
    };
    Ok((Arc::new(load(&cert, &key)?), source))
}

fn load(cert_path: &Path, key_path: &Path) -> Result<ServerConfig, TlsError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_path)
        .map_err(|e| TlsError::BadFile {
            what: "certificate",
            path: cert_path.to_owned(),
            reason: format!("cannot be read ({e})"),
        })?
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::BadFile {
            what: "certificate",
            path: cert_path.to_owned(),
            reason: format!("is not a valid PEM certificate chain ({e})"),
        })?;
    if certs.is_empty() {
        return Err(TlsError::BadFile {
            what: "certificate",
            path: cert_path.to_owned(),
            reason: "holds no \"BEGIN CERTIFICATE\" block; give the PEM certificate chain".into(),
        });
    }
    let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| TlsError::BadFile {
        what: "private key",
        path: key_path.to_owned(),
        reason: format!("holds no usable PEM private key ({e})"),
    })?;
    let mut server = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Mismatch {
            cert: cert_path.to_owned(),
            key: key_path.to_owned(),
            reason: e.to_string(),
        })?;
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(server)
}

/// The subject names of the self-signed certificate: the host names plus the loopback names.
fn subject_names(host_names: &[String]) -> Vec<String> {
    let mut names = host_names.to_vec();
    for extra in ["localhost", "127.0.0.1", "::1"] {
        if !names.iter().any(|n| n == extra) {
            names.push(extra.to_owned());
        }
    }
    names
}

fn ensure_self_signed(
    data_dir: &Path,
    host_names: &[String],
) -> Result<(PathBuf, PathBuf, bool), TlsError> {
    let (cert, key) = self_signed_paths(data_dir);
    let names_file = cert.with_extension("names");
    let names = subject_names(host_names).join("\n");
    let fail = |reason: String| TlsError::SelfSigned {
        dir: data_dir.join("tls"),
        reason,
    };
    let current = std::fs::read_to_string(&names_file).ok();
    if cert.exists() && key.exists() && current.as_deref() == Some(names.as_str()) {
        return Ok((cert, key, false));
    }
    let generated = rcgen::generate_simple_self_signed(subject_names(host_names))
        .map_err(|e| fail(e.to_string()))?;
    let dir = data_dir.join("tls");
    std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
    write_atomic(
        &key,
        generated.signing_key.serialize_pem().as_bytes(),
        0o600,
    )
    .map_err(|e| fail(e.to_string()))?;
    // The certificate and the names are public (browsers and curl need the certificate).
    write_atomic(&cert, generated.cert.pem().as_bytes(), 0o644).map_err(|e| fail(e.to_string()))?;
    write_atomic(&names_file, names.as_bytes(), 0o644).map_err(|e| fail(e.to_string()))?;
    Ok((cert, key, true))
}

/// Writes a file with the given mode, atomically (temp file, fsync, rename).
fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}
