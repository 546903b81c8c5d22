use super::keys::parse_duration;
use super::*;

#[test]
fn durations_are_written_as_people_write_them() {
    let secs = |v: &str| parse_duration(v).map(|d| d.as_secs());
    assert_eq!(secs("30s"), Ok(30));
    assert_eq!(secs(" 2m "), Ok(120));
    assert_eq!(secs("12h"), Ok(12 * 3600));
    assert_eq!(secs("1h 30m"), Ok(5400));
    assert_eq!(secs("120days"), Ok(120 * 86_400));
    assert_eq!(secs("30 days"), Ok(30 * 86_400));
    assert_eq!(secs("2weeks"), Ok(14 * 86_400));
    for bad in ["", "30", "soon", "1month", "-5s", "2 years"] {
        assert_eq!(parse_duration(bad), Err(()), "{bad:?}");
    }
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn load_text(text: &str) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(Some(&path), Vec::new())
}

#[test]
fn defaults_work_from_a_checkout() {
    let c = Config::load(None, Vec::new()).unwrap();
    assert_eq!(c.data_dir, PathBuf::from("./cartable-data"));
    assert_eq!(c.listen_https.unwrap().to_string(), "127.0.0.1:8443");
    assert_eq!(c.listen_http.unwrap().to_string(), "127.0.0.1:8080");
    assert_eq!(c.http_mode, HttpMode::Redirect);
}

#[test]
fn env_overrides_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "data_dir = \"/srv/a\"\nlisten_http = \"\"\n").unwrap();
    let c = Config::load(
        Some(&path),
        env(&[("CARTABLE_DATA_DIR", "/srv/b"), ("PATH", "/bin")]),
    )
    .unwrap();
    assert_eq!(c.data_dir, PathBuf::from("/srv/b"));
    assert_eq!(c.listen_http, None);
}

#[test]
fn unknown_key_names_the_key_and_suggests() {
    let e = load_text("listen_htps = \"0.0.0.0:443\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown configuration key \"listen_htps\""),
        "{e}"
    );
    assert!(e.contains("did you mean \"listen_https\""), "{e}");
    let e = Config::load(None, env(&[("CARTABLE_DATADIR", "x")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("CARTABLE_DATADIR"), "{e}");
    assert!(e.contains("CARTABLE_DATA_DIR"), "{e}");
}

#[test]
fn bad_values_name_key_value_and_what_is_allowed() {
    let e = load_text("listen_https = \"localhost\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"listen_https\""), "{e}");
    assert!(e.contains("localhost"), "{e}");
    assert!(e.contains("expected an address and port"), "{e}");
    for text in [
        "http_mode = \"proxy\"",
        "shutdown_grace = \"forever\"",
        "host_names = [\"bad host\"]",
        "public_url = \"ent.example\"",
        "listen_http = 8080",
        "log_format = \"xml\"",
        "data_dir = \"\"",
        "store_cache_mib = 8",
        "store_cache_mib = \"lots\"",
    ] {
        assert!(
            matches!(load_text(text), Err(ConfigError::BadValue { .. })),
            "{text} should be refused"
        );
    }
}

#[test]
fn inconsistent_keys_are_refused() {
    assert!(matches!(
        load_text("tls_cert = \"/a.pem\""),
        Err(ConfigError::Inconsistent { .. })
    ));
    assert!(matches!(
        load_text("listen_https = \"\"\nlisten_http = \"\""),
        Err(ConfigError::Inconsistent { .. })
    ));
    assert!(load_text("listen_https = \"\"\nhttp_mode = \"serve\"").is_ok());
}

#[test]
fn syntax_errors_name_the_file() {
    let e = load_text("data_dir = ").unwrap_err().to_string();
    assert!(e.contains("not valid TOML"), "{e}");
}
