//! The import rules of docs/ARCHITECTURE.md, read from the source: each layer imports only what
//! is below it (http → domain → store → model, with search, mail, blobs, tasks, demo and pdf
//! beside the domain). A violation fails with its `file:line`.

use std::path::{Path, PathBuf};

/// What the files of one top-level module of `src/` must not name (`crate::<module>`).
const RULES: &[(&str, &[&str])] = &[
    // The ground floor knows nothing above it.
    (
        "model",
        &[
            "store", "domain", "http", "search", "mail", "blobs", "tasks", "config", "cli",
            "state", "demo", "pdf", "error", "i18n",
        ],
    ),
    // Storage knows the records, never the rules.
    (
        "store",
        &[
            "domain", "http", "search", "mail", "blobs", "tasks", "config", "cli", "state", "demo",
            "pdf", "error", "i18n",
        ],
    ),
    // The rules take their settings as arguments, never from the configuration or the web.
    (
        "domain",
        &["http", "tasks", "config", "cli", "state", "demo"],
    ),
    // Beside the domain: services of their own, no web, no configuration file.
    (
        "search",
        &["http", "tasks", "config", "cli", "state", "demo"],
    ),
    (
        "mail",
        &["http", "tasks", "config", "cli", "state", "demo", "search"],
    ),
    (
        "blobs",
        &[
            "http", "tasks", "config", "cli", "state", "demo", "domain", "search", "mail",
        ],
    ),
    (
        "pdf",
        &[
            "http", "tasks", "config", "cli", "state", "demo", "store", "domain",
        ],
    ),
    ("tasks", &["http", "cli"]),
    ("demo", &["http", "tasks", "cli"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a line names: `crate::x` and `crate::{x, y::z}`.
fn named_modules(line: &str) -> Vec<String> {
    let code = match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    };
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        // `$crate::` is the same crate (macros).
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn each_layer_imports_only_what_is_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut offences = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap_or(file);
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs");
        let Some((_, forbidden)) = RULES.iter().find(|(layer, _)| *layer == top) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            for module in named_modules(line) {
                if forbidden.contains(&module.as_str()) {
                    offences.push(format!(
                        "src/{}:{}: `{top}` must not import `crate::{module}`",
                        relative.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "{} import(s) against the layers (docs/ARCHITECTURE.md):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

/// STYLE.md: a file over this many lines is split by what its parts are about.
const MAX_LINES: usize = 800;

#[test]
fn no_file_of_src_is_over_800_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by what their parts are about):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_plain_imports() {
    assert_eq!(named_modules("use crate::store::Tx;"), ["store"]);
    assert_eq!(
        named_modules("use crate::{http::x, mail};"),
        ["http", "mail"]
    );
    assert_eq!(named_modules("// crate::http"), Vec::<String>::new());
    assert_eq!(named_modules("$crate::model::IdKind"), ["model"]);
}

/// The error statuses (4xx, 5xx) a handler could pick by hand.
const ERROR_STATUSES: &[&str] = &[
    "BAD_REQUEST",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "NOT_ACCEPTABLE",
    "CONFLICT",
    "GONE",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "RANGE_NOT_SATISFIABLE",
    "UNPROCESSABLE_ENTITY",
    "TOO_MANY_REQUESTS",
    "INTERNAL_SERVER_ERROR",
    "SERVICE_UNAVAILABLE",
];

/// Issue 13 §2: every error status is chosen in `src/http/problem/`, from the error's type; no
/// other file of `src/` names one (tests aside). A violation fails with its `file:line`.
#[test]
fn error_statuses_are_chosen_only_by_the_error_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let map = src.join("http").join("problem");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&map)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in ERROR_STATUSES {
                if line.contains(&format!("StatusCode::{name}")) {
                    let at = file.strip_prefix(root).unwrap_or(file);
                    found.push(format!("{}:{}: StatusCode::{name}", at.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "error statuses chosen outside src/http/problem/ (give the refusal an error type with \
         a `Problem` impl there):\n{}",
        found.join("\n")
    );
}
