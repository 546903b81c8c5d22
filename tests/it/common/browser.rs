//! The browser peers shared by the browser tests (`browser.rs`, `phone_walk.rs`): headless
//! Debian Chromium driven through chromedriver (fantoccini), over the in-process app on real
//! HTTPS (DESIGN.md §10), the console check, axe-core, signing in and out, screenshots.
//!
//! The peers are `/usr/bin/chromium`, `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`) and `target/axe/node_modules/axe-core/axe.min.js` (from npm, not
//! committed); `./scripts/test` installs what is missing. Without them these tests fail.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::http::Method;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::app::TestApp;
use super::school::PASSWORD;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long to wait for a page or an element.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js")
}

pub fn output_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output/browser")
}

/// Fails (never skips) when a browser peer is missing.
pub fn check_peers() {
    let missing: Vec<String> = [
        PathBuf::from(CHROMIUM),
        PathBuf::from(CHROMEDRIVER),
        axe_path(),
    ]
    .into_iter()
    .filter(|p| !p.is_file())
    .map(|p| p.display().to_string())
    .collect();
    assert!(
        missing.is_empty(),
        "the browser tests need {}: run ./scripts/test, which installs chromium, \
         chromium-driver and axe-core",
        missing.join(", ")
    );
}

/// A chromedriver child on a free local port, killed on drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        // chromedriver has no port 0: take a free port from the system and hand it over.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // No sleeping: chromedriver says when it listens ("... started successfully on port N").
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut started = false;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if line.contains("started successfully") {
                started = true;
                break;
            }
        }
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let mut driver = Chromedriver { child, port };
        if !started {
            let status = driver.child.wait().unwrap();
            panic!("chromedriver exited before listening on {port}: {status}");
        }
        // Then check the port really answers (a few attempts, in case the line came first).
        for _ in 0..1000 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return driver;
            }
            std::thread::yield_now();
        }
        panic!("chromedriver said it started but port {port} refuses connections");
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver's log endpoint (not in the W3C standard, so not in fantoccini): the browser
/// console entries since the last call.
#[derive(Debug)]
pub struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

/// The console entries at level SEVERE since the last call (JavaScript errors, CSP violations,
/// failed loads).
pub async fn severe_console_entries(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(BrowserLog).await.unwrap();
    log.as_array()
        .unwrap_or_else(|| panic!("unexpected log answer: {log}"))
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| format!("[{}] {}", e["source"], e["message"]))
        .collect()
}

pub async fn assert_clean_console(c: &Client, page: &str) {
    let severe = severe_console_entries(c).await;
    assert!(
        severe.is_empty(),
        "{page}: errors in the browser console:\n{}",
        severe.join("\n")
    );
}

/// Runs axe-core on the current page; fails on serious or critical violations.
pub async fn axe(c: &Client, axe_js: &str, page: &str) {
    c.execute(axe_js, vec![]).await.unwrap();
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then(r => done({
                passes: r.passes.length,
                violations: r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary)
                }))
              }))
              .catch(e => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .unwrap();
    let violations = result["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}: axe failed: {result}"));
    // axe really looked at the page.
    assert!(result["passes"].as_u64() > Some(0), "{page}: {result}");
    let mut report = Vec::new();
    for v in violations {
        let line = format!(
            "{} ({}): {} <{}>\n    {}",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["helpUrl"].as_str().unwrap_or(""),
            v["nodes"]
                .as_array()
                .map(|n| n
                    .iter()
                    .map(|n| n.as_str().unwrap_or("").replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join("\n    "))
                .unwrap_or_default()
        );
        if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
            report.push(line);
        } else {
            eprintln!("axe, {page} (minor, not failing): {line}");
        }
    }
    assert!(
        report.is_empty(),
        "{page}: accessibility violations (axe-core):\n{}",
        report.join("\n")
    );
}

/// The path (and query) of the current page.
pub async fn current_path(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Waits until the browser is on `path` (fantoccini polls the current URL).
pub async fn wait_for_path(c: &Client, app: &TestApp, path: &str) {
    let url = url::Url::parse(&app.url(path)).unwrap();
    if let Err(e) = c.wait().at_most(WAIT).for_url(&url).await {
        panic!("still on {}, expected {path}: {e}", current_path(c).await);
    }
}

/// The input a label (by its exact text) points to.
pub async fn input_of_label(c: &Client, label: &str) -> fantoccini::elements::Element {
    let label_el = c
        .find(Locator::XPath(&format!(
            "//label[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no label “{label}”: {e}"));
    let id = label_el
        .attr("for")
        .await
        .unwrap()
        .expect("label with for=");
    c.find(Locator::Id(&id)).await.unwrap()
}

pub async fn button(c: &Client, text: &str) -> fantoccini::elements::Element {
    c.find(Locator::XPath(&format!(
        "//button[normalize-space()='{text}']"
    )))
    .await
    .unwrap_or_else(|e| panic!("no button “{text}”: {e}"))
}

/// Fills the sign-in form by its labels and submits it.
pub async fn submit_sign_in(c: &Client, app: &TestApp, login: &str, password: &str) {
    c.goto(&app.url("/connexion")).await.unwrap();
    let identifiant = input_of_label(c, "Identifiant").await;
    assert_eq!(
        identifiant.attr("id").await.unwrap().unwrap(),
        "identifiant"
    );
    identifiant.send_keys(login).await.unwrap();
    let password_input = input_of_label(c, "Mot de passe").await;
    assert_eq!(
        password_input.attr("id").await.unwrap().unwrap(),
        "mot-de-passe"
    );
    password_input.send_keys(password).await.unwrap();
    button(c, "Se connecter").await.click().await.unwrap();
}

pub async fn sign_in(c: &Client, app: &TestApp, login: &str) {
    submit_sign_in(c, app, login, PASSWORD).await;
    wait_for_path(c, app, "/").await;
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(h1.starts_with("Bonjour "), "{login}: portal says {h1}");
}

pub async fn sign_out(c: &Client, app: &TestApp) {
    button(c, "Se déconnecter").await.click().await.unwrap();
    wait_for_path(c, app, "/connexion").await;
}

pub async fn screenshot(c: &Client, name: &str) {
    screenshot_to(c, &output_dir().join(format!("{name}.png"))).await;
}

/// A screenshot of the window, written to `path`.
pub async fn screenshot_to(c: &Client, path: &Path) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{}: not a PNG", path.display());
    std::fs::write(path, png).unwrap();
}

pub async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Starts chromedriver and a headless French Chromium, runs `session` with the browser in its
/// own task (so that the browser is closed even when it fails), closes the browser, then
/// re-raises the session's panic if there was one.
pub async fn with_browser<F, Fut>(session: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let profile = tempfile::tempdir().unwrap();
    let driver = Chromedriver::start();

    let mut caps = Capabilities::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("acceptInsecureCerts".into(), json!(true));
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                format!("--user-data-dir={}", profile.path().display()),
                "--ignore-certificate-errors",
                "--host-resolver-rules=MAP localhost 127.0.0.1",
                // A French browser: the site answers in the Accept-Language's language.
                "--lang=fr-FR",
            ],
            "prefs": {"intl.accept_languages": "fr-FR,fr"},
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("could not start Chromium through chromedriver: {e}"));

    let result = tokio::spawn(session(c.clone())).await;
    let _ = c.close().await;
    drop(driver);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
