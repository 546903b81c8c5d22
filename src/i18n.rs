//! Translations with Fluent (STYLE.md §7): `assets/i18n/<lang>/<area>.ftl`, embedded in the
//! binary. French is the reference: every key exists in French; English falls back to French for
//! a key it lacks (a test keeps the two in step).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/i18n/"]
#[include = "*.ftl"]
struct Files;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// French, the default and the reference.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language, the reference first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code (`fr`, `en`), for `lang=""` and the folder name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language chosen explicitly (a cookie or a `lang` parameter), if it is one we have.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| code.trim().eq_ignore_ascii_case(l.code()))
    }

    /// The language for a request: an explicit choice wins, then the browser's
    /// `Accept-Language` (highest weight among ours), then French.
    pub fn negotiate(choice: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = choice.and_then(Lang::from_code) {
            return lang;
        }
        let mut best: Option<(f32, Lang)> = None;
        for item in accept_language.unwrap_or("").split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(primary)
                && weight > 0.0
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::Fr, |(_, lang)| lang)
    }
}

/// A file that does not parse, or a key defined twice.
#[derive(Debug, thiserror::Error)]
#[error("translation file assets/i18n/{file}: {reason}")]
pub struct I18nError {
    file: String,
    reason: String,
}

/// Every translation, loaded once at start.
pub struct Catalog {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

impl Catalog {
    /// Loads the embedded `.ftl` files; any syntax error or duplicate key is an error.
    pub fn load() -> Result<Catalog, I18nError> {
        let mut bundles = BTreeMap::new();
        for lang in Lang::ALL {
            let id = lang.code().parse().map_err(|e| I18nError {
                file: lang.code().into(),
                reason: format!("bad language id: {e}"),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks: our text is left-to-right and goes into HTML.
            bundle.set_use_isolating(false);
            for path in files_of(lang) {
                let text = Files::get(&path)
                    .map(|f| String::from_utf8_lossy(&f.data).into_owned())
                    .unwrap_or_default();
                let resource = FluentResource::try_new(text).map_err(|(_, errors)| I18nError {
                    file: path.clone(),
                    reason: format!("{errors:?}"),
                })?;
                bundle.add_resource(resource).map_err(|errors| I18nError {
                    file: path.clone(),
                    reason: format!("{errors:?}"),
                })?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Catalog { bundles })
    }

    /// The text of `key` in `lang` (falling back to French), with `args`. A key missing
    /// everywhere comes out as the key itself, so a page never fails to render.
    pub fn msg(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        for l in [lang, Lang::Fr] {
            let Some(bundle) = self.bundles.get(&l) else {
                continue;
            };
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if errors.is_empty() {
                    return text.into_owned();
                }
                tracing::warn!(key, lang = l.code(), ?errors, "translation error");
                return text.into_owned();
            }
        }
        tracing::warn!(key, "missing translation key");
        key.to_owned()
    }

    /// The text of `key` in `lang` itself (no fallback), or `None` if the key is missing there
    /// or formatting it failed (an argument it uses was not given…): for tests.
    pub fn msg_strict(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// Whether `key` exists in `lang` itself (no fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(key))
    }

    /// Every key of a language.
    pub fn keys(lang: Lang) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for path in files_of(lang) {
            if let Some(file) = Files::get(&path) {
                for line in String::from_utf8_lossy(&file.data).lines() {
                    if let Some((key, _)) = line.split_once('=')
                        && !line.starts_with([' ', '#', '.', '*', '['])
                    {
                        keys.insert(key.trim().to_owned());
                    }
                }
            }
        }
        keys
    }
}

/// The catalogue of the `.ftl` files embedded in the binary, loaded on first use, for text
/// written outside a request (mails, import reports). The files are part of the program, not
/// settings: `Catalog::load` at start (the server's state) and a unit test reject a bad file;
/// should loading fail anyway, every text comes out as its key.
pub fn embedded() -> &'static Catalog {
    static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        Catalog::load().unwrap_or_else(|e| {
            tracing::error!(error = %e, "translations unusable");
            Catalog {
                bundles: BTreeMap::new(),
            }
        })
    })
}

/// The text of `key` in `lang` from the [`embedded`] catalogue, with `args` (name, value):
/// `text(Lang::Fr, "resume-objet", &[("nombre", 3.into())])`.
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    embedded().msg(lang, key, Some(&fluent_args(args)))
}

/// `args` as Fluent arguments.
pub fn fluent_args<'a>(args: &[(&'a str, FluentValue<'a>)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::new();
    for (name, value) in args {
        out.set(*name, value.clone());
    }
    out
}

/// A text for people whose language is not known yet (an import's report, made once and read
/// on a page in French or English, or on the command line): a Fluent key and its arguments,
/// said by [`Text::render`] in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The Fluent key.
    pub key: &'static str,
    /// The arguments, by name.
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Words, as they are (a name, a value from a file).
    Str(String),
    /// A number, for plurals (`{ $n -> [one] … *[other] … }`); written without grouping.
    Num(u64),
    /// A number written with the language's digit grouping (`10 000`, `10,000`).
    Grouped(u64),
    /// Values quoted the language's way and listed: `« a », « b »` / `“a”, “b”`.
    Quoted(Vec<String>),
    /// Another text, said first (a message inside "line 5: …").
    Text(Box<Text>),
}

/// Words as an argument.
impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}

/// Words as an argument.
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

/// A text inside a text (the message of "record 7: …").
impl From<Text> for Arg {
    fn from(t: Text) -> Self {
        Arg::Text(Box::new(t))
    }
}

impl Text {
    /// The text of `key`, without arguments yet.
    pub fn new(key: &'static str) -> Text {
        Text {
            key,
            args: Vec::new(),
        }
    }

    /// With a word argument.
    pub fn str(mut self, name: &'static str, value: impl Into<String>) -> Text {
        self.args.push((name, Arg::Str(value.into())));
        self
    }

    /// With a number argument (plurals).
    pub fn num(mut self, name: &'static str, value: usize) -> Text {
        self.args.push((name, Arg::Num(value as u64)));
        self
    }

    /// With a number written with digit grouping.
    pub fn grouped(mut self, name: &'static str, value: usize) -> Text {
        self.args.push((name, Arg::Grouped(value as u64)));
        self
    }

    /// With a list of quoted values.
    pub fn quoted(mut self, name: &'static str, values: Vec<String>) -> Text {
        self.args.push((name, Arg::Quoted(values)));
        self
    }

    /// With any argument.
    pub fn arg(mut self, name: &'static str, value: Arg) -> Text {
        self.args.push((name, value));
        self
    }

    /// With another text as argument.
    pub fn text(mut self, name: &'static str, value: Text) -> Text {
        self.args.push((name, Arg::Text(Box::new(value))));
        self
    }

    /// The text in `lang`, from the [`embedded`] catalogue.
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(embedded(), lang)
    }

    /// The text in `lang`, from `catalog`.
    pub fn render_with(&self, catalog: &Catalog, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &self.args {
            let value: FluentValue<'_> = match arg {
                Arg::Str(s) => s.clone().into(),
                Arg::Num(n) => (*n).into(),
                Arg::Grouped(n) => grouped(lang, *n).into(),
                Arg::Quoted(values) => quoted(lang, values).into(),
                Arg::Text(text) => text.render_with(catalog, lang).into(),
            };
            args.set(*name, value);
        }
        catalog.msg(lang, self.key, Some(&args))
    }
}

/// `n` with the language's digit grouping: `10 000` (French, a space) or `10,000`.
pub fn grouped(lang: Lang, n: u64) -> String {
    let separator = match lang {
        Lang::Fr => ' ',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Values quoted and listed the language's way.
fn quoted(lang: Lang, values: &[String]) -> String {
    let (open, close) = match lang {
        Lang::Fr => ("« ", " »"),
        Lang::En => ("“", "”"),
    };
    values
        .iter()
        .map(|v| format!("{open}{v}{close}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn files_of(lang: Lang) -> Vec<String> {
    let prefix = format!("{}/", lang.code());
    let mut files: Vec<String> = Files::iter()
        .filter(|p| p.starts_with(&prefix))
        .map(|p| p.into_owned())
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_said_in_the_readers_language() {
        assert_eq!(grouped(Lang::Fr, 1_234_567), "1 234 567");
        assert_eq!(grouped(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(grouped(Lang::Fr, 999), "999");
        let text = Text::new("erreur-trop-de-tentatives").num("secondes", 1);
        assert_eq!(
            text.render(Lang::Fr),
            embedded().msg(
                Lang::Fr,
                "erreur-trop-de-tentatives",
                Some(&fluent_args(&[("secondes", 1.into())]))
            )
        );
        assert_ne!(text.render(Lang::Fr), text.render(Lang::En));
        assert_eq!(quoted(Lang::Fr, &["a".into(), "b".into()]), "« a », « b »");
        assert_eq!(quoted(Lang::En, &["a".into()]), "“a”");
    }

    #[test]
    fn every_file_loads_and_english_has_every_french_key() {
        let catalog = Catalog::load().unwrap();
        let fr = Catalog::keys(Lang::Fr);
        assert!(fr.contains("erreur-introuvable"));
        for key in &fr {
            assert!(catalog.has(Lang::Fr, key), "{key}");
            assert!(catalog.has(Lang::En, key), "English lacks {key}");
        }
        assert_eq!(fr, Catalog::keys(Lang::En), "English has keys French lacks");
    }

    #[test]
    fn french_plurals_and_arguments() {
        let catalog = Catalog::load().unwrap();
        let mut args = FluentArgs::new();
        args.set("secondes", 1);
        assert_eq!(
            catalog.msg(Lang::Fr, "erreur-trop-de-tentatives", Some(&args)),
            "Trop de tentatives : réessayez dans 1 seconde."
        );
        args.set("secondes", 30);
        assert_eq!(
            catalog.msg(Lang::Fr, "erreur-trop-de-tentatives", Some(&args)),
            "Trop de tentatives : réessayez dans 30 secondes."
        );
        assert_eq!(catalog.msg(Lang::En, "no-such-key", None), "no-such-key");
    }

    #[test]
    fn language_negotiation() {
        assert_eq!(Lang::negotiate(None, None), Lang::Fr);
        assert_eq!(Lang::negotiate(None, Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("de-DE,en;q=0.5,fr;q=0.8")),
            Lang::Fr
        );
        assert_eq!(Lang::negotiate(None, Some("es, de")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("fr"), Some("en")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("xx"), Some("en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en;q=0")), Lang::Fr);
    }
}
