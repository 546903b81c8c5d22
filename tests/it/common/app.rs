//! [`TestApp`]: the real router on a real port (HTTPS, port 0), over a temp store holding the
//! test school, with a fake clock — in this process, so tests can also act on the store.

use std::net::SocketAddr;
use std::sync::Arc;

use cartable::clock::FakeClock;
use cartable::config::Config;
use cartable::state::AppState;
use cartable::store::Store;

use super::school::{self, PASSWORD, School};

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: Arc<FakeClock>,
    pub school: School,
    cert: Vec<u8>,
    _dir: tempfile::TempDir,
    _server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Starts the app (call from a multi-thread tokio test).
    pub async fn start() -> TestApp {
        TestApp::start_with(|_, _| {}).await
    }

    /// Starts the app after `extra` has filled the store first (e.g. the demo school), then the
    /// test school.
    pub async fn start_with(extra: impl FnOnce(&Store, &FakeClock)) -> TestApp {
        TestApp::start_full(extra, |_| {}).await
    }

    /// Starts the app with `configure` applied to its configuration first (e.g. a mail
    /// smarthost).
    pub async fn start_with_config(configure: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::start_full(|_, _| {}, configure).await
    }

    /// [`TestApp::start_with`] with `configure` applied to the configuration.
    pub async fn start_full(
        extra: impl FnOnce(&Store, &FakeClock),
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
        let store = Store::open(dir.path(), clock.clone()).unwrap();
        let school = tokio::task::block_in_place(|| {
            extra(&store, &clock);
            school::build(&store)
        });
        let mut config = Config {
            data_dir: dir.path().to_owned(),
            listen_https: Some("127.0.0.1:0".parse().unwrap()),
            listen_http: None,
            ..Config::default()
        };
        configure(&mut config);
        let mut state = AppState::new(store, clock.clone(), config).unwrap();
        // The search indexer extracts file texts with `cartable extract-text`: the built binary
        // (the test binary's own path would not understand it).
        state.search = std::sync::Arc::new(cartable::search::Search::new(
            dir.path(),
            state.blobs.clone(),
            cartable::search::SearchConfig {
                extract_program: env!("CARGO_BIN_EXE_cartable").into(),
                ..cartable::search::SearchConfig::default()
            },
        ));
        let running = cartable::http::start(state.clone()).await.unwrap();
        let addr = running.https.unwrap();
        let server = tokio::spawn(async move {
            let _ = running.run_until(std::future::pending()).await;
        });
        let cert = std::fs::read(dir.path().join("tls/self-signed.crt")).unwrap();
        TestApp {
            addr,
            state,
            clock,
            school,
            cert,
            _dir: dir,
            _server: server,
        }
    }

    /// `https://localhost:PORT` + path.
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    /// A client with its own cookie jar, following no redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&self.cert).unwrap())
            .resolve("localhost", self.addr)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the form; returns the client and the response to the POST.
    pub async fn sign_in_with(
        &self,
        login: &str,
        password: &str,
    ) -> (reqwest::Client, reqwest::Response) {
        let client = self.client();
        let page = client.get(self.url("/connexion")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let token = csrf_of(&html);
        let response = client
            .post(self.url("/connexion"))
            .form(&[
                ("_csrf", token.as_str()),
                ("identifiant", login),
                ("mot_de_passe", password),
            ])
            .send()
            .await
            .unwrap();
        (client, response)
    }

    /// A signed-in client for `login` (test password).
    pub async fn as_user(&self, login: &str) -> reqwest::Client {
        self.as_user_with(login, PASSWORD).await
    }

    /// A signed-in client for `login` with `password`.
    pub async fn as_user_with(&self, login: &str, password: &str) -> reqwest::Client {
        let (client, response) = self.sign_in_with(login, password).await;
        assert_eq!(response.status(), 303, "{login} could not sign in");
        client
    }

    /// The CSRF token of `client`'s session, read from its portal (the header's sign-out form).
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let (_, html) = self.get(client, "/").await;
        csrf_of(&html)
    }

    /// POSTs `fields` as a form, as they are: no token added (put `_csrf` in `fields`, or
    /// leave it out to see the refusal).
    pub async fn post_raw(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// POSTs `_csrf` = `csrf`, then `fields`, as a form (for a token read from another page
    /// than the portal, e.g. before signing in).
    pub async fn post_with_csrf(
        &self,
        client: &reqwest::Client,
        path: &str,
        csrf: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = vec![("_csrf", csrf)];
        form.extend_from_slice(fields);
        self.post_raw(client, path, &form).await
    }

    /// POSTs a form with the CSRF token of `client`'s session ([`TestApp::csrf`]).
    pub async fn post_signed(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(client).await;
        self.post_with_csrf(client, path, &token, fields).await
    }

    /// POSTs a form with the CSRF token of `client`'s session (read from its portal); returns
    /// the status, the `Location` header (or "") and the body.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String, String) {
        let r = self.post_signed(client, path, fields).await;
        let status = r.status().as_u16();
        let location = location(&r);
        (status, location, r.text().await.unwrap())
    }

    /// [`TestApp::post_form`] with owned values.
    pub async fn post_form_owned(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, String)],
    ) -> (u16, String, String) {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post_form(client, path, &refs).await
    }

    /// GET a page, returning status and body.
    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let r = client.get(self.url(path)).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }
}

/// A response's `Location` header ("" when it has none).
pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The `_csrf` value of the first form in a page.
pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"_csrf\" value=\"").expect("a CSRF field") + 20;
    html[start..].split('"').next().unwrap().to_owned()
}

/// The page's own content (`<main>` on), without the header bar: what a refusal must not say
/// is looked for here (the header names the signed-in person, whose name may be anything).
pub fn main_part(html: &str) -> &str {
    html.find("<main").map_or(html, |i| &html[i..])
}
