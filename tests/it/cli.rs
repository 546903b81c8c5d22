//! The command line and the configuration as an operator meets them.

use crate::common::cartable;

fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = cartable();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_and_version() {
    let (code, stdout, _) = run(&["--help"], &[]);
    assert_eq!(code, 0);
    for word in ["serve", "demo", "init", "check", "--config", "--data-dir"] {
        assert!(
            stdout.contains(word),
            "--help should mention {word}: {stdout}"
        );
    }
    assert!(!stdout.contains("write-burst"), "debug tools stay hidden");
    let (code, stdout, _) = run(&["--version"], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        format!("cartable {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_key_in_the_file_stops_the_start_with_the_documented_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cartable.toml");
    std::fs::write(
        &file,
        "data_dir = \"/tmp/x\"\nlisten_htps = \"0.0.0.0:443\"\n",
    )
    .unwrap();
    let (code, _, stderr) = run(&["--config", file.to_str().unwrap(), "serve"], &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("unknown configuration key \"listen_htps\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean \"listen_https\"?"),
        "{stderr}"
    );
    assert!(stderr.contains("Allowed keys: data_dir"), "{stderr}");
}

#[test]
fn an_unknown_environment_variable_is_refused() {
    let (code, _, stderr) = run(&["serve"], &[("CARTABLE_LISTEN_HTTP5", "x")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("CARTABLE_LISTEN_HTTP5"), "{stderr}");
    assert!(
        stderr.contains("did you mean \"CARTABLE_LISTEN_HTTPS\"?"),
        "{stderr}"
    );
}

#[test]
fn a_bad_value_stops_the_start_with_the_documented_message() {
    let (code, _, stderr) = run(&["serve"], &[("CARTABLE_LISTEN_HTTPS", "partout")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "configuration key \"listen_https\" (environment variable CARTABLE_LISTEN_HTTPS) has the value \"partout\", which is not allowed: expected an address and port"
        ),
        "{stderr}"
    );
}

#[test]
fn a_store_from_a_newer_version_is_refused_by_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    crate::store::make_newer_store(dir.path());
    let (code, _, stderr) = run(&["--data-dir", dir.path().to_str().unwrap(), "check"], &[]);
    assert_eq!(code, 1);
    let newer = cartable::store::migrations::SCHEMA_VERSION + 1;
    assert!(
        stderr.contains(&format!(
            "was written by a newer version of Cartable (schema version {newer})"
        )),
        "{stderr}"
    );
}

#[test]
fn init_prepares_the_data_dir_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("donnees");
    let data = data.to_str().unwrap();
    let (code, stdout, stderr) = run(&["--data-dir", data, "init"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Self-signed certificate created"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["--data-dir", data, "init"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Self-signed certificate kept"), "{stdout}");
    let (code, stdout, _) = run(&["--data-dir", data, "check"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("All checks passed."), "{stdout}");
}

#[test]
fn check_reports_a_damaged_store_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    crate::store::make_tampered_store(dir.path());
    let (code, stdout, _) = run(&["--data-dir", dir.path().to_str().unwrap(), "check"], &[]);
    assert_eq!(code, 1);
    assert!(stdout.contains("PROBLEM: broken hash chain"), "{stdout}");
}

#[test]
fn every_configuration_key_is_documented_and_in_the_packaged_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let docs = std::fs::read_to_string(format!("{root}/docs/configuration.md")).unwrap();
    let packaged = std::fs::read_to_string(format!("{root}/packaging/deb/cartable.toml")).unwrap();
    for key in cartable::config::KEYS {
        assert!(
            docs.contains(&format!("`{}`", key.name)),
            "docs lack {}",
            key.name
        );
        assert!(
            docs.contains(&key.env_name()),
            "docs lack {}",
            key.env_name()
        );
        assert!(
            packaged.contains(key.name),
            "packaged config lacks {}",
            key.name
        );
    }
    // The packaged file itself loads.
    let path = std::path::PathBuf::from(format!("{root}/packaging/deb/cartable.toml"));
    cartable::config::Config::load(Some(&path), Vec::new()).unwrap();
}

#[test]
fn check_on_a_directory_without_a_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&["--data-dir", dir.path().to_str().unwrap(), "check"], &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("there is no store at"), "{stderr}");
    assert!(
        !dir.path().join("cartable.redb").exists(),
        "check creates nothing"
    );
}

#[test]
fn demo_serves_from_a_throwaway_directory_and_removes_it() {
    use std::io::BufRead;
    let mut child = cartable()
        .arg("demo")
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut data_dir = None;
    let mut https = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Demo instance in the throw-away directory ") {
            data_dir = Some(std::path::PathBuf::from(rest.split(" (").next().unwrap()));
        }
        if let Some(addr) = line.trim().strip_prefix("HTTPS") {
            https = Some(
                addr.split_whitespace()
                    .next()
                    .unwrap()
                    .parse::<std::net::SocketAddr>()
                    .unwrap(),
            );
        }
        if line.trim().starts_with("data") {
            break;
        }
    }
    let data_dir = data_dir.expect("demo names its directory");
    let https = https.expect("demo prints its address");
    let cert = std::fs::read(data_dir.join("tls/self-signed.crt")).unwrap();
    assert_eq!(crate::common::healthz_status(&cert, https), 200);
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!data_dir.exists(), "the throw-away directory is removed");
}

/// The search benchmark's own tools (issue 14 §15) keep working: long documents seeded into the
/// demo school, the index rebuilt, and the queries run through the real search and the raw
/// Tantivy reference, pages 1 and 10 (two queries: what is timed here is nothing).
#[test]
fn the_search_benchmark_tools_run_on_the_demo_school() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = run(&["demo", "--no-serve", "--data-dir", data], &[]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(
        &[
            "--data-dir",
            data,
            "debug",
            "seed-documents",
            "--count",
            "0",
            "--long",
            "5",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("seeded 5 long documents"), "{out}");
    let login = |role: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{role} ")))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no {role} in {out}"))
            .to_owned()
    };
    let logins = format!("{},{}", login("pupil"), login("teacher"));
    let (code, _, err) = run(&["--data-dir", data, "reindex"], &[]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(
        &[
            "--data-dir",
            data,
            "debug",
            "search-bench",
            "--queries",
            "2",
            "--logins",
            &logins,
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("raw Tantivy p50"), "{out}");
    assert!(out.contains("page 10 p50"), "{out}");
    assert!(
        out.contains("first page p99 / raw Tantivy with snippets:"),
        "{out}"
    );
}
