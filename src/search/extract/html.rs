//! HTML: the text a reader sees, through `html5ever`'s tokenizer (the same crate ammonia
//! parses with). Character references are decoded; scripts, style sheets and comments are
//! skipped; block elements become breaks. No tree is built, so memory stays near the input's.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::sink::TextSink;

/// Input is fed in slices of this size, so that reading stops soon after the text cap.
const CHUNK: usize = 64 * 1024;

/// Appends the text of an HTML document (or fragment) to `sink`.
pub(super) fn extract(html: &str, sink: &mut TextSink) {
    let tokenizer = Tokenizer::new(
        Collector {
            sink: RefCell::new(sink),
            skipping: Cell::new(false),
            pre: Cell::new(0),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        input.push_back(StrTendril::from_slice(chunk));
        // We never ask the tokenizer to pause for a script, so it reads all it was given.
        let _ = tokenizer.feed(&input);
        if tokenizer.sink.sink.borrow().is_full() {
            return;
        }
    }
    tokenizer.end();
}

/// The token sink: text outside skipped elements goes to the [`TextSink`].
struct Collector<'a> {
    sink: RefCell<&'a mut TextSink>,
    /// Inside `<script>`, `<style>` and the like, whose content is never text.
    skipping: Cell<bool>,
    /// `<pre>` depth: inside, newlines are line breaks.
    pre: Cell<u32>,
}

/// What an element does to the text around it.
enum Effect {
    /// Its content is not text (the tokenizer reads it raw, we drop it).
    Skip(RawKind),
    /// Its content is text read raw (`<title>`, `<textarea>`).
    Raw(RawKind),
    Paragraph,
    Line,
    Space,
    Pre,
    Inline,
}

fn effect(name: &str) -> Effect {
    match name {
        "script" => Effect::Skip(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Effect::Skip(RawKind::Rawtext),
        "title" | "textarea" => Effect::Raw(RawKind::Rcdata),
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "aside"
        | "header" | "footer" | "main" | "nav" | "blockquote" | "figure" | "figcaption"
        | "address" | "form" | "fieldset" | "legend" | "details" | "summary" | "dialog"
        | "table" | "caption" | "ul" | "ol" | "dl" | "hr" | "body" | "html" => Effect::Paragraph,
        "br" | "li" | "tr" | "dt" | "dd" | "option" => Effect::Line,
        "td" | "th" | "img" | "input" | "button" | "select" => Effect::Space,
        "pre" => Effect::Pre,
        _ => Effect::Inline,
    }
}

impl TokenSink for Collector<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut sink = self.sink.borrow_mut();
        match token {
            Token::CharacterTokens(text) if !self.skipping.get() => {
                if self.pre.get() > 0 {
                    sink.push_lines(&text);
                } else {
                    sink.push_inline(&text);
                }
            }
            Token::TagToken(tag) => {
                let start = tag.kind == TagKind::StartTag;
                match effect(&tag.name) {
                    Effect::Skip(kind) if start => {
                        self.skipping.set(true);
                        return TokenSinkResult::RawData(kind);
                    }
                    // In a raw state the only end tag the tokenizer gives is the element's own.
                    Effect::Skip(_) => self.skipping.set(false),
                    Effect::Raw(kind) => {
                        sink.paragraph();
                        if start {
                            return TokenSinkResult::RawData(kind);
                        }
                    }
                    Effect::Paragraph => sink.paragraph(),
                    Effect::Line => sink.line(),
                    Effect::Space => sink.space(),
                    Effect::Pre => {
                        sink.paragraph();
                        let depth = self.pre.get();
                        self.pre.set(if start {
                            depth + 1
                        } else {
                            depth.saturating_sub(1)
                        });
                    }
                    Effect::Inline => {}
                }
            }
            // `<plaintext>` is obsolete; comments, doctype, NUL and parse errors are not text.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
