//! `cartable init`: creates the data directory and the store.

use anyhow::Result;

use crate::clock::SharedClock;
use crate::config::Config;

use super::*;

pub(super) fn init(config: &Config, clock: SharedClock) -> Result<()> {
    install_crypto_provider();
    let store = open_store(config, clock)?;
    println!(
        "Store ready: {} (change log at entry {})",
        store.path().display(),
        store.head().seq
    );
    if config.listen_https.is_some() {
        let (_, source) = crate::http::tls::server_config(config)?;
        match source {
            crate::http::tls::CertSource::SelfSigned { cert, created } => println!(
                "Self-signed certificate {}: {}",
                if created { "created" } else { "kept" },
                cert.display()
            ),
            crate::http::tls::CertSource::Configured => {
                println!("Certificate: the configured tls_cert and tls_key are usable")
            }
        }
    }
    Ok(())
}
