//! The snippets of a page of results (issue 14 §15): where in a hit's text the words are is read
//! from the index, and only a window there is analysed and marked.

use tantivy::postings::Postings as _;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet as _, Searcher, Term};

use super::SearchError;
use super::indexer::cap_chars;
use super::query::{SNIPPET_CHARS, Segment};

/// The snippets of a page: where in a hit's text the words are is read from the index (the
/// first position of a word found, then the byte where that word starts, by counting words the
/// way the analyzer splits them), and only a window there is analysed and marked. A document of
/// 100 KB thus costs what a short one does, and a hit found by its title alone costs no
/// analysis at all.
pub(crate) struct Snippets<'a> {
    searcher: &'a Searcher,
    generator: SnippetGenerator,
    body: Field,
    /// The words found, as terms of the body.
    terms: Vec<Term>,
}

/// Bytes analysed before the first word found (the fragment may start before it).
const WINDOW_BEFORE: usize = SNIPPET_CHARS;
/// Bytes analysed from the first word found.
const WINDOW_AFTER: usize = 4 * SNIPPET_CHARS;

impl<'a> Snippets<'a> {
    pub(crate) fn new(
        searcher: &'a Searcher,
        found: &dyn Query,
        body: Field,
    ) -> Result<Self, SearchError> {
        let mut generator = SnippetGenerator::create(searcher, found, body)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        let mut terms = Vec::new();
        found.query_terms(&mut |term, _| {
            if term.field() == body && !terms.contains(term) {
                terms.push(term.clone());
            }
        });
        Ok(Snippets {
            searcher,
            generator,
            body,
            terms,
        })
    }

    /// The snippet of the hit at `address`, whose stored start of text is `text`.
    pub(crate) fn of(&self, address: DocAddress, text: &str) -> Result<Vec<Segment>, SearchError> {
        let window = self
            .first_position(address)?
            .and_then(|position| word_start(text, position))
            .map(|at| {
                let start = floor_boundary(text, at.saturating_sub(WINDOW_BEFORE));
                let end = floor_boundary(text, at.saturating_add(WINDOW_AFTER));
                &text[start..end]
            });
        Ok(window
            .and_then(|window| marked(&self.generator, window))
            .unwrap_or_else(|| start_of(text)))
    }

    /// The first position in the body of any word found, from the postings.
    fn first_position(&self, address: DocAddress) -> Result<Option<u32>, SearchError> {
        let segment = self.searcher.segment_reader(address.segment_ord);
        let inverted = segment.inverted_index(self.body)?;
        let mut first: Option<u32> = None;
        let mut positions = Vec::new();
        for term in &self.terms {
            let Some(mut postings) =
                inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            else {
                continue;
            };
            if postings.seek(address.doc_id) != address.doc_id {
                continue;
            }
            positions.clear();
            postings.positions(&mut positions);
            if let Some(&p) = positions.first() {
                first = Some(first.map_or(p, |f| f.min(p)));
            }
        }
        Ok(first)
    }
}

/// The byte where word number `position` of `text` starts, words split as the analyzer's
/// tokenizer splits them (runs of letters and digits); `None` past the end.
fn word_start(text: &str, position: u32) -> Option<usize> {
    let mut words = 0u32;
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if !in_word {
                if words == position {
                    return Some(at);
                }
                words += 1;
                in_word = true;
            }
        } else {
            in_word = false;
        }
    }
    None
}

/// `at`, moved back to the start of its character.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The start of `text`, unmarked.
fn start_of(text: &str) -> Vec<Segment> {
    let start = cap_chars(text, SNIPPET_CHARS);
    if start.is_empty() {
        return Vec::new();
    }
    let mut plain = start.to_owned();
    if start.len() < text.len() {
        plain.push('…');
    }
    vec![Segment {
        text: plain,
        mark: false,
    }]
}

/// The best passage of `text` with the words found marked; `None` if no word is in it.
fn marked(generator: &SnippetGenerator, text: &str) -> Option<Vec<Segment>> {
    let found = generator.snippet(text);
    let fragment = found.fragment();
    if fragment.is_empty() {
        return None;
    }
    let mut ranges: Vec<std::ops::Range<usize>> = found.highlighted().to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut at = 0;
    let mut push = |text: &str, mark: bool| {
        if !text.is_empty() {
            out.push(Segment {
                text: text.to_owned(),
                mark,
            });
        }
    };
    for r in ranges {
        let start = r.start.max(at);
        if start >= r.end
            || r.end > fragment.len()
            || !fragment.is_char_boundary(start)
            || !fragment.is_char_boundary(r.end)
        {
            continue;
        }
        push(&fragment[at..start], false);
        push(&fragment[start..r.end], true);
        at = r.end;
    }
    push(&fragment[at..], false);
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_start_counts_words_as_the_analyzer_does() {
        let long = "x".repeat(60);
        let text = format!(
            "L’élève, 12 fractions; {long} puis: « Noël » à l'école_2 — fin. Ωμέγα 3,5 km²"
        );
        let mut analyzer = crate::search::analyzer::french();
        let mut stream = analyzer.token_stream(&text);
        let mut checked = 0;
        while let Some(token) = stream.next() {
            assert_eq!(
                super::word_start(&text, token.position as u32),
                Some(token.offset_from),
                "{}",
                token.text
            );
            checked += 1;
        }
        assert!(checked > 10);
        assert_eq!(super::word_start(&text, 10_000), None);
        assert_eq!(super::floor_boundary("é", 1), 0);
        assert_eq!(super::floor_boundary("é", 9), 2);
    }
}
