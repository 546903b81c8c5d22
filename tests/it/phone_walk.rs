//! Phone first (issue 14 §11): every page of every role in a 390 × 844 window, in a real
//! browser (the peers of `common/browser.rs`).
//!
//! Each test login signs in; its pages are the links of its header menu and of its portal, and,
//! for one login of each role, the links found on the pages of its menu (the messaging folders,
//! the documents spaces, the administration's pages). On each page: no horizontal scroll
//! (`scrollWidth ≤ innerWidth`) and the main heading (or the first list item) starts within the
//! first 40 % of the screen; on a messages list, its first message too. The header's « Menu »
//! opens and closes without JavaScript (a `<details>`), by mouse and keyboard. A screenshot of
//! every page goes to `target/test-output/browser/telephone/`.
//!
//! With `CARTABLE_SCREENSHOTS_DIR` set, the portal of one login per role is also saved there,
//! desktop (1280 × 800) and phone (390 × 844): `<role>-portail-{bureau,telephone}.png`, the
//! pictures of `docs/screenshots/` (README.md, « Captures d’écran »).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fantoccini::{Client, Locator};

use cartable::model::messaging::MessageId;
use cartable::store::tables::MESSAGES;

use crate::common::app::TestApp;
use crate::common::browser::{
    check_peers, output_dir, screenshot_to, sign_in, sign_out, with_browser,
};
use crate::common::school::LOGINS;

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 800);

/// One login per role: its pages are walked one level deeper, its portal is the role's picture.
const ROLES: &[(&str, &str)] = &[
    ("eleve", "eleve.a1"),
    ("parent", "parent.a1"),
    ("professeur", "prof.a"),
    ("cpe", "cpe.a"),
    ("administrateur", "admin.a"),
    ("plateforme", "plateforme"),
];

/// Links that are not pages to look at: actions, files, the language switch.
fn is_page(path: &str) -> bool {
    const NOT_PAGES: &[&str] = &[
        "/deconnexion",
        "/langue/",
        "/telecharger",
        "/apercu",
        "/pieces-jointes/",
        "/static/",
        "/courrier",
    ];
    path.starts_with('/') && !NOT_PAGES.iter().any(|p| path.contains(p))
}

/// The same-site links of the current page under `scope` (a CSS selector), as paths.
async fn links(c: &Client, scope: &str) -> Vec<String> {
    let found = c
        .execute(
            "const out = [];
             for (const a of document.querySelectorAll(arguments[0])) {
               const u = new URL(a.href, location.href);
               if (u.origin === location.origin) out.push(u.pathname + u.search);
             }
             return out;",
            vec![serde_json::json!(scope)],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .filter(|p| is_page(p))
        .collect()
}

/// What the phone shows of the current page.
#[derive(Debug, serde::Deserialize)]
struct Fit {
    kind: String,
    scroll: f64,
    inner: f64,
    height: f64,
    top: Option<f64>,
    what: Option<String>,
    message: Option<f64>,
    wide: Vec<String>,
}

const MEASURE: &str = r#"
const d = document.documentElement;
const shown = e => e.getClientRects().length > 0;
const pick = document.querySelector("main h1")
  || [...document.querySelectorAll("main li")].find(shown) || null;
const first = document.querySelector("main table.messages tbody tr");
const y = e => e.getBoundingClientRect().top + window.scrollY;
const wide = [...document.querySelectorAll("body *")]
  .filter(e => shown(e) && e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : "")
    + " right=" + Math.round(e.getBoundingClientRect().right));
return {
  kind: document.contentType,
  scroll: d.scrollWidth, inner: window.innerWidth, height: window.innerHeight,
  top: pick ? y(pick) : null,
  what: pick ? pick.tagName.toLowerCase() + " « " + pick.textContent.trim().slice(0, 60) + " »" : null,
  message: first ? y(first) : null,
  wide,
};"#;

async fn measure(c: &Client) -> Fit {
    let value = c.execute(MEASURE, vec![]).await.unwrap();
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}

/// A file name for a page's screenshot.
fn slug(login: &str, path: &str) -> String {
    let path: String = path
        .trim_start_matches('/')
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    let path = if path.is_empty() {
        "portail".into()
    } else {
        path
    };
    format!("{login}-{path}")
}

/// Opens `path` on the phone; returns the problems seen (none when it fits), and keeps its
/// screenshot. A link that is not an HTML page (a PDF) is skipped.
async fn check_page(c: &Client, app: &TestApp, login: &str, path: &str, dir: &Path) -> Vec<String> {
    c.goto(&app.url(path)).await.unwrap();
    let fit = measure(c).await;
    if fit.kind != "text/html" {
        return Vec::new();
    }
    screenshot_to(c, &dir.join(format!("{}.png", slug(login, path)))).await;
    let mut problems = Vec::new();
    let limit = 0.4 * f64::from(PHONE.1);
    if fit.scroll > fit.inner {
        problems.push(format!(
            "{login} {path}: scrolls sideways ({} > {} px): {}",
            fit.scroll,
            fit.inner,
            fit.wide.join(", ")
        ));
    }
    match (fit.top, &fit.what) {
        (Some(top), Some(what)) if top > limit => problems.push(format!(
            "{login} {path}: {what} starts at {top:.0} px, below 40 % of {} px",
            PHONE.1
        )),
        (None, _) | (_, None) => problems.push(format!("{login} {path}: no main h1 nor list item")),
        _ => {}
    }
    if let Some(top) = fit.message.filter(|top| *top > limit) {
        problems.push(format!(
            "{login} {path}: the first message starts at {top:.0} px, below 40 % of {} px",
            PHONE.1
        ));
    }
    assert!(
        (fit.height - f64::from(PHONE.1)).abs() < 1.0,
        "the window is not a phone's: {fit:?}"
    );
    problems
}

/// The header's menu on a phone: closed, its links hidden; opened by a click on « Menu », closed
/// with Enter and opened again with Space (the summary has the focus); then « Se déconnecter »
/// in it. Returns what went wrong (signed out anyway).
async fn menu_then_sign_out(c: &Client, app: &TestApp, login: &str) -> Vec<String> {
    let summary = c
        .find(Locator::Css("header details.menu-principal > summary"))
        .await
        .unwrap();
    let link = c
        .find(Locator::Css("header nav a[href='/profil']"))
        .await
        .unwrap();
    let mut problems = Vec::new();
    let mut expect = |what: &str, shown: bool, want: bool| {
        if shown != want {
            problems.push(format!("{login}: the menu {what}"));
        }
    };
    expect(
        "is labelled « Menu »",
        summary.text().await.unwrap() == "Menu",
        true,
    );
    expect("starts closed", link.is_displayed().await.unwrap(), false);
    summary.click().await.unwrap();
    expect("opens on a click", link.is_displayed().await.unwrap(), true);
    let picture = output_dir()
        .join("telephone")
        .join(format!("{login}-menu-ouvert.png"));
    screenshot_to(c, &picture).await;
    summary.send_keys("\u{e007}").await.unwrap();
    expect(
        "closes with Enter",
        link.is_displayed().await.unwrap(),
        false,
    );
    summary.send_keys(" ").await.unwrap();
    expect("opens with Space", link.is_displayed().await.unwrap(), true);
    if problems.is_empty() {
        sign_out(c, app).await;
    } else {
        c.delete_all_cookies().await.unwrap();
    }
    problems
}

/// Sizes the window so that the page sees `width` × `height` (the browser's own bars are
/// added around it).
async fn set_viewport(c: &Client, (width, height): (u32, u32)) {
    c.set_window_size(width, height).await.unwrap();
    let inner = c
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .unwrap();
    let bar = |i: usize, want: u32| want + want.saturating_sub(inner[i].as_u64().unwrap() as u32);
    c.set_window_size(bar(0, width), bar(1, height))
        .await
        .unwrap();
}

/// The portal on a desktop and on a phone, for `docs/screenshots/`.
async fn portal_pictures(c: &Client, app: &TestApp, role: &str, dir: &Path) {
    c.goto(&app.url("/")).await.unwrap();
    set_viewport(c, DESKTOP).await;
    screenshot_to(c, &dir.join(format!("{role}-portail-bureau.png"))).await;
    set_viewport(c, PHONE).await;
    screenshot_to(c, &dir.join(format!("{role}-portail-telephone.png"))).await;
}

/// The administrator's lists, whose every line is a page of its own.
fn admin_lists(app: &TestApp, login: &str) -> Vec<String> {
    let college = app.school.college;
    match login {
        "admin.a" => ["classes", "groupes", "matieres", "personnes?q=eleve"]
            .iter()
            .map(|list| format!("/admin/etablissements/{college}/{list}"))
            .collect(),
        _ => Vec::new(),
    }
}

/// Pages no menu, portal or list links to directly: a message, a person's sub-pages, the
/// platform's forms.
fn more_pages(app: &TestApp, login: &str, message: MessageId) -> Vec<String> {
    let college = app.school.college;
    let lea = app.school.id("eleve.a1");
    let class = app.school.class_5a;
    match login {
        "admin.a" => vec![
            format!("/admin/personnes/{lea}/modifier"),
            format!("/admin/personnes/{lea}/responsables"),
            format!("/admin/personnes/{lea}/messagerie"),
            format!("/admin/classes/{class}/modifier"),
            format!("/personnes/{lea}"),
        ],
        "plateforme" => vec![
            "/admin/etablissements/nouveau".to_owned(),
            format!("/admin/etablissements/{college}/administrateurs"),
        ],
        "parent.a1" | "prof.a" => vec![
            format!("/messagerie/messages/{message}"),
            format!("/personnes/{lea}"),
            // The class page (issue 14 §9): the parent's view has the teaching team only.
            format!("/classes/{class}"),
        ],
        _ => Vec::new(),
    }
}

async fn walk(c: Client, app: Arc<TestApp>, message: MessageId) {
    let dir = output_dir().join("telephone");
    std::fs::create_dir_all(&dir).unwrap();
    let pictures = std::env::var_os("CARTABLE_SCREENSHOTS_DIR").map(PathBuf::from);
    if let Some(pictures) = &pictures {
        std::fs::create_dir_all(pictures).unwrap();
    }
    c.goto(&app.url("/connexion")).await.unwrap();
    set_viewport(&c, PHONE).await;
    let started = tokio::time::Instant::now();
    let (mut problems, mut seen) = (Vec::new(), 0);
    for login in LOGINS {
        sign_in(&c, &app, login).await;
        let role = ROLES.iter().find(|(_, l)| l == login).map(|(r, _)| *r);
        let menu = links(&c, "header nav a[href]").await;
        let mut pages: BTreeSet<String> = menu.iter().cloned().collect();
        pages.extend(links(&c, "main a[href]").await);
        // One login per role: the pages its menu's pages lead to, and for the administrator
        // those its lists lead to (classes, groups, subjects, people).
        let mut hubs = if role.is_some() {
            menu.clone()
        } else {
            Vec::new()
        };
        hubs.extend(admin_lists(&app, login));
        for path in &hubs {
            c.goto(&app.url(path)).await.unwrap();
            pages.extend(links(&c, "main a[href]").await);
        }
        pages.extend(hubs);
        pages.extend(more_pages(&app, login, message));
        for path in &pages {
            problems.extend(check_page(&c, &app, login, path, &dir).await);
        }
        seen += pages.len();
        if let (Some(role), Some(pictures)) = (role, &pictures) {
            portal_pictures(&c, &app, role, pictures).await;
        }
        c.goto(&app.url("/")).await.unwrap();
        problems.extend(menu_then_sign_out(&c, &app, login).await);
    }
    eprintln!(
        "phone walk: {seen} pages in {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    assert!(seen > 150, "only {seen} pages walked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Fills an inbox: a message from a teacher to a parent and a pupil, with a long unbroken word
/// in its subject (it must wrap, not widen the page).
async fn a_message(app: &TestApp) -> MessageId {
    let prof = app.as_user("prof.a").await;
    let fields: Vec<(&str, String)> = vec![
        ("destinataires", app.school.id("parent.a1").0.to_string()),
        ("destinataires", app.school.id("eleve.a1").0.to_string()),
        (
            "objet",
            "Sortie au musée — autorisation_à_signer_0123456789_abcdefghijklmnopqrstuvwxyz".into(),
        ),
        (
            "corps",
            "Bonjour,\n\nMerci de signer l’autorisation.".into(),
        ),
        ("action", "envoyer".into()),
    ];
    let r = crate::messaging_pages::compose(app, &prof, &fields, &[], false).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let read = app.state.store.read().unwrap();
    let last = read.range(&MESSAGES, ..).unwrap().next_back().unwrap();
    last.unwrap().0
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_of_every_role_fits_a_phone_without_sideways_scroll() {
    check_peers();
    let app = Arc::new(TestApp::start().await);
    let message = a_message(&app).await;
    with_browser(move |c| walk(c, app, message)).await;
}
