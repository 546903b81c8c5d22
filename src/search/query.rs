//! The search itself (`/recherche`, `/api/v1/search`): the words typed, filtered inside Tantivy
//! by the actor's principals and the chosen type, dates and owner; then **every hit is
//! re-checked against the store** (the index may lag, the store decides) before it is shown,
//! with its current title and a snippet whose words are marked.
//!
//! Nothing of what was typed is logged (pupils' searches are personal data): only counts.

use std::collections::HashSet;
use std::ops::Bound;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::Field;
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, TantivyDocument, Term};

use super::indexer::cap_chars;
use super::items::{self, Key, Kind};
use super::snippets::Snippets;
use super::{Search, SearchError};
use crate::domain::directory::profile::{self, ProfileFacet};
use crate::domain::documents::policy::node_access;
use crate::domain::messaging::{self, MessagingError};
use crate::domain::paths;
use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::store::tables::PEOPLE;
use crate::store::{ReadTx, Store, StoreError};

/// Hits per page.
pub const PAGE_SIZE: usize = 20;
/// The last page shown (deeper, refine the words).
pub const MAX_PAGE: u32 = 50;
/// What is read of the words typed.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most index hits looked at for one page (re-checks included).
const MAX_SCANNED: usize = 5_000;
/// Length of a snippet, in bytes of text.
pub(crate) const SNIPPET_CHARS: usize = 220;

/// A search as asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The words: all must be found; `"a phrase"` in quotes, `-word` (or `-"a phrase"`) to
    /// leave out. Nothing else is syntax ([`parse`]).
    pub text: String,
    /// Only this kind of items.
    pub kind: Option<Kind>,
    /// Only items dated this day (Paris) or later.
    pub since: Option<Date>,
    /// Only items dated this day (Paris) or earlier.
    pub until: Option<Date>,
    /// Only items owned (uploaded, sent) by this person.
    pub owner: Option<PersonId>,
    /// The page, from 1.
    pub page: u32,
}

/// A piece of a snippet: plain or a matched word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The text (not escaped: templates escape it).
    pub text: String,
    /// Whether it is a matched word.
    pub mark: bool,
}

/// One result, re-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The item.
    pub key: Key,
    /// Its current title (file name, subject, person's name), from the store.
    pub title: String,
    /// Its date (a file's last change, a message's sending).
    pub date: Option<Timestamp>,
    /// A passage of its text around the words found.
    pub snippet: Vec<Segment>,
    /// Its page.
    pub link: String,
    /// A person's profile as the actor may see it (« Élève de 5A », « Parent de Léa (5A) »):
    /// the same as their page shows ([`profile::facets`]); empty for other items.
    pub profile: Vec<ProfileFacet>,
}

impl Hit {
    /// The item's kind.
    pub fn kind(&self) -> Kind {
        self.key.kind()
    }

    /// The item's id (a file's, a message's or a person's).
    pub fn id(&self) -> u64 {
        match self.key {
            Key::Document(n) => n.0,
            Key::Message(m) => m.0,
            Key::Person(p) => p.0,
        }
    }

    /// The snippet as HTML: the text escaped, matched words in `<mark>`.
    pub fn snippet_html(&self) -> String {
        let mut out = String::new();
        for s in &self.snippet {
            if s.mark {
                out.push_str("<mark>");
            }
            escape_into(&s.text, &mut out);
            if s.mark {
                out.push_str("</mark>");
            }
        }
        out
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    /// The hits of the page, best first.
    pub hits: Vec<Hit>,
    /// The page (from 1).
    pub page: u32,
    /// Whether a next page has hits.
    pub has_next: bool,
}

impl Results {
    /// The rank of the page's first hit (from 1).
    pub fn first_rank(&self) -> usize {
        (self.page.max(1) as usize - 1) * PAGE_SIZE + 1
    }
}

/// What a re-check lets the actor see of a hit.
struct Shown {
    title: String,
    date: Option<Timestamp>,
    link: String,
    profile: Vec<ProfileFacet>,
}

/// The store's word on a hit: `None` if the actor may not read it (any more).
fn recheck(read: &ReadTx, actor: &Actor, key: Key) -> Result<Option<Shown>, StoreError> {
    Ok(match key {
        Key::Document(id) => match node_access(read, actor, id)? {
            Some((node, _, false)) if !node.is_folder() => Some(Shown {
                title: node.name,
                date: Some(node.updated_at),
                link: link_of(key),
                profile: Vec::new(),
            }),
            _ => None,
        },
        Key::Message(id) => {
            let Some(me) = actor.person else {
                return Ok(None);
            };
            match messaging::policy::party_sent(read, me, id) {
                Ok(m) => Some(Shown {
                    title: m.subject,
                    date: m.sent_at,
                    link: link_of(key),
                    profile: Vec::new(),
                }),
                Err(MessagingError::Store(e)) => return Err(e),
                Err(_) => None,
            }
        }
        Key::Person(id) => {
            // The person's page's rule and its words: nothing the page would not show.
            let Some(profile) = profile::facets(read, actor, id)? else {
                return Ok(None);
            };
            read.get(&PEOPLE, &id)?.map(|p| Shown {
                title: p.display_name(),
                date: None,
                link: link_of(key),
                profile,
            })
        }
    })
}

/// The start of a day in Paris, µs.
fn day_start(date: Date) -> Option<i64> {
    crate::clock::paris_day_start(date).map(|t| t.as_microsecond())
}

/// Searches for the actor (see the module documentation). Empty words give no results.
pub fn search(
    store: &Store,
    search: &Search,
    actor: &Actor,
    request: &Request,
) -> Result<Results, SearchError> {
    run(store, search, Some(actor), request)
}

/// The same search **without** the principals' filter and without the re-check, titles and
/// dates taken from the index: only for `scripts/bench search`, which measures what the ACL
/// costs. Never shown to anyone.
pub fn search_without_acl(
    store: &Store,
    search: &Search,
    request: &Request,
) -> Result<Results, SearchError> {
    run(store, search, None, request)
}

/// The benchmark's reference (`cartable debug search-bench`, issue 14 §15): what Tantivy alone
/// does for the same words over the same index — the same query, no filter and no re-check, the
/// page's hits read from the document store and Tantivy's own [`SnippetGenerator`] run over
/// each hit's whole stored text. Returns how many hits were on the page.
pub fn raw_reference(search: &Search, text: &str, page: u32) -> Result<usize, SearchError> {
    let live = search.live().ok_or(SearchError::NotReady)?;
    let fields = live.fields;
    let searcher = live.reader.searcher();
    let Some(Words { query, found }) = words_query(
        &parse(cap_chars(text.trim(), MAX_QUERY_CHARS)),
        fields.title,
        fields.body,
    ) else {
        return Ok(0);
    };
    let page = page.clamp(1, MAX_PAGE) as usize;
    let top = searcher.search(
        &query,
        &TopDocs::with_limit(PAGE_SIZE)
            .and_offset((page - 1) * PAGE_SIZE)
            .order_by_score(),
    )?;
    let mut generator = SnippetGenerator::create(&searcher, &*found, fields.body)?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    let mut shown = 0;
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = doc
            .get_first(fields.excerpt)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        std::hint::black_box(generator.snippet(text));
        shown += 1;
    }
    Ok(shown)
}

/// The link of an item's page.
fn link_of(key: Key) -> String {
    match key {
        Key::Document(n) => paths::document_file(n),
        Key::Message(m) => paths::message(m),
        Key::Person(p) => paths::person(p),
    }
}

fn run(
    store: &Store,
    search: &Search,
    actor: Option<&Actor>,
    request: &Request,
) -> Result<Results, SearchError> {
    let page = request.page.clamp(1, MAX_PAGE);
    let text = cap_chars(request.text.trim(), MAX_QUERY_CHARS);
    if text.is_empty() {
        return Ok(Results {
            page,
            ..Results::default()
        });
    }
    let live = search.live().ok_or(SearchError::NotReady)?;
    let fields = live.fields;
    let searcher = live.reader.searcher();
    // The words typed, built into a query here (never handed to a query parser, which would
    // read `acl:`, `owner:` or `title:*` as the index's own syntax).
    let Some(Words {
        query: words,
        found,
    }) = words_query(&parse(text), fields.title, fields.body)
    else {
        return Ok(Results {
            page,
            ..Results::default()
        });
    };

    let read = store.read()?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words)];
    if let Some(actor) = actor {
        let principals = items::actor_principals(&read, actor)?;
        clauses.push((
            Occur::Must,
            Box::new(TermSetQuery::new(
                principals
                    .iter()
                    .map(|p| Term::from_field_text(fields.acl, p)),
            )),
        ));
    }
    if let Some(kind) = request.kind {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.kind, kind.code()),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(owner) = request.owner {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(fields.owner, owner.0),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if request.since.is_some() || request.until.is_some() {
        let term = |us: i64| Term::from_field_i64(fields.date, us);
        let lower = match request.since.and_then(day_start) {
            Some(us) => Bound::Included(term(us)),
            None => Bound::Included(term(i64::MIN)),
        };
        let upper = match request
            .until
            .and_then(|d| d.tomorrow().ok())
            .and_then(day_start)
        {
            Some(us) => Bound::Excluded(term(us)),
            None => Bound::Included(term(i64::MAX)),
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    let query = BooleanQuery::new(clauses);

    // Re-check hits best first until the page (and one more, for "next") is full. Hits are
    // named by the `key` fast field: only the page's own hits have their stored text read.
    let keys = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64("key"))
        .collect::<Result<Vec<_>, _>>()?;
    let wanted = page as usize * PAGE_SIZE + 1;
    let mut accepted: Vec<(Key, Option<Shown>, DocAddress)> = Vec::new();
    let mut seen = HashSet::new();
    let mut offset = 0;
    let mut chunk = (wanted * 2).max(40);
    let mut scanned = 0;
    'scan: loop {
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(chunk)
                .and_offset(offset)
                .order_by_score(),
        )?;
        for (_, address) in &top {
            scanned += 1;
            let Some(key) = keys
                .get(address.segment_ord as usize)
                .and_then(|column| column.first(address.doc_id))
                .and_then(Key::unpack)
            else {
                continue;
            };
            if !seen.insert(key) {
                continue;
            }
            let shown = match actor {
                Some(actor) => match recheck(&read, actor, key)? {
                    Some(shown) => Some(shown),
                    None => continue,
                },
                // Without an actor (the benchmark's reference), what the index stored.
                None => None,
            };
            accepted.push((key, shown, *address));
            if accepted.len() >= wanted {
                break 'scan;
            }
        }
        if top.len() < chunk || offset + chunk >= MAX_SCANNED {
            break;
        }
        offset += chunk;
        chunk = (chunk * 2).min(MAX_SCANNED - offset);
    }
    let has_next = accepted.len() > page as usize * PAGE_SIZE;
    let snippets = Snippets::new(&searcher, &*found, fields.body)?;
    let mut hits = Vec::with_capacity(PAGE_SIZE);
    for (key, shown, address) in accepted
        .into_iter()
        .skip((page as usize - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
    {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let shown = shown.unwrap_or_else(|| Shown {
            title: text(fields.title).to_owned(),
            date: doc
                .get_first(fields.date)
                .and_then(|v| v.as_i64())
                .and_then(|us| Timestamp::from_microsecond(us).ok()),
            link: link_of(key),
            profile: Vec::new(),
        });
        hits.push(Hit {
            key,
            title: shown.title,
            date: shown.date,
            snippet: snippets.of(address, text(fields.excerpt))?,
            link: shown.link,
            profile: shown.profile,
        });
    }
    tracing::debug!(scanned, shown = hits.len(), page, "search");
    Ok(Results {
        hits,
        page,
        has_next,
    })
}

/// One part of what was typed: a word (or what the analyzer splits it into) or a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Typed with a leading `-`: the results must not have it.
    pub excluded: bool,
    /// The text as typed (a word, or the inside of the quotes).
    pub text: String,
}

/// Splits what was typed into its parts: words separated by blanks, `"a phrase"` between
/// double quotes (an unclosed quote runs to the end), a `-` right before a word or a quote to
/// leave it out. That is the whole syntax: a colon, a star, brackets or `AND` are ordinary
/// characters (the analyzer then drops what is not a letter or a digit).
pub fn parse(text: &str) -> Vec<Part> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut excluded = false;
        if chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace()) {
            excluded = true;
            i += 1;
        }
        let mut part = String::new();
        if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                part.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                part.push(chars[i]);
                i += 1;
            }
        }
        out.push(Part {
            excluded,
            text: part,
        });
    }
    out
}

/// The query of the words, and the query of the words to be found (for the snippets).
struct Words {
    query: Box<dyn Query>,
    found: Box<dyn Query>,
}

/// The query of one part in one field: its terms through the index's French analyzer, one
/// term, or a phrase of several (a quoted phrase, or `l’élève`, `fiche_1` typed as one word).
fn part_in_field(text: &str, field: Field) -> Option<Box<dyn Query>> {
    let mut analyzer = super::analyzer::french();
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<(usize, Term)> = Vec::new();
    while let Some(token) = stream.next() {
        terms.push((token.position, Term::from_field_text(field, &token.text)));
    }
    let first = terms.first()?.0;
    for (position, _) in &mut terms {
        *position -= first;
    }
    Some(if terms.len() == 1 {
        let (_, term) = terms.remove(0);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    })
}

/// Builds the query of the parts, over the title (boosted ×3) and the body only: each part
/// kept must be in one of them, each part left out in neither. `None` when no part is to be
/// found (nothing typed but punctuation, or only exclusions): no results.
fn words_query(parts: &[Part], title: Field, body: Field) -> Option<Words> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut found: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut excluded: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in parts {
        let either = || -> Option<Box<dyn Query>> {
            let in_title = part_in_field(&part.text, title)?;
            let in_body = part_in_field(&part.text, body)?;
            Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, Box::new(BoostQuery::new(in_title, 3.0))),
                (Occur::Should, in_body),
            ])))
        };
        let Some(query) = either() else {
            continue;
        };
        if part.excluded {
            excluded.push((Occur::MustNot, query));
        } else {
            must.push((Occur::Must, query));
            found.extend(either().map(|q| (Occur::Should, q)));
        }
    }
    if must.is_empty() {
        return None;
    }
    must.extend(excluded);
    Some(Words {
        query: Box::new(BooleanQuery::new(must)),
        found: Box::new(BooleanQuery::new(found)),
    })
}

/// The name of `owner` for the owner filter, if the actor may see them.
pub fn owner_name(
    store: &Store,
    actor: &Actor,
    owner: PersonId,
) -> Result<Option<String>, StoreError> {
    let read = store.read()?;
    if !crate::domain::directory::policy::may_see_person(&read, actor, owner)? {
        return Ok(None);
    }
    Ok(read.get(&PEOPLE, &owner)?.map(|p| p.display_name()))
}

#[cfg(test)]
mod tests {
    use super::{Hit, Part, Segment, parse};

    fn part(excluded: bool, text: &str) -> Part {
        Part {
            excluded,
            text: text.into(),
        }
    }

    #[test]
    fn only_quotes_and_a_leading_minus_are_syntax() {
        assert_eq!(
            parse(r#"  élève "une fraction" -volcan -"la lave" "#),
            vec![
                part(false, "élève"),
                part(false, "une fraction"),
                part(true, "volcan"),
                part(true, "la lave"),
            ]
        );
        assert_eq!(
            parse("title:* acl:u:1"),
            vec![part(false, "title:*"), part(false, "acl:u:1")]
        );
        assert_eq!(
            parse("a - b"),
            vec![part(false, "a"), part(false, "-"), part(false, "b")]
        );
        assert_eq!(parse("\"ouvert"), vec![part(false, "ouvert")]);
        assert_eq!(parse("x-y"), vec![part(false, "x-y")]);
        assert!(parse("   ").is_empty());
    }
    use crate::model::documents::NodeId;
    use crate::search::items::Key;

    #[test]
    fn snippets_are_escaped_and_marked() {
        let hit = Hit {
            key: Key::Document(NodeId(1)),
            title: String::new(),
            date: None,
            snippet: vec![
                Segment {
                    text: "<script>alert('x')</script> & ".into(),
                    mark: false,
                },
                Segment {
                    text: "élève".into(),
                    mark: true,
                },
            ],
            link: String::new(),
            profile: Vec::new(),
        };
        assert_eq!(
            hit.snippet_html(),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>élève</mark>"
        );
    }
}
