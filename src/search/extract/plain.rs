//! Plain text and Markdown: bytes to text (UTF-8, else Windows-1252), Markdown to its words.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html;
use super::sink::TextSink;

/// The text of a file: UTF-8 (or UTF-16) when it has a byte-order mark, UTF-8 when it is valid
/// UTF-8, otherwise Windows-1252 (a superset of Latin-1: files saved by older Windows editors,
/// where "é" is one byte), which maps every byte to a character, so nothing fails here.
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The words of a Markdown document: text, code, link and image texts, HTML blocks through the
/// HTML extractor; markup is dropped, blocks become paragraph breaks.
pub(super) fn markdown(text: &str, sink: &mut TextSink) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut in_code_block = false;
    // An HTML block arrives as several events; it is extracted whole, so that a `<script>`
    // spanning lines is skipped whole.
    let mut html_block: Option<String> = None;
    for event in Parser::new_ext(text, options) {
        if sink.is_full() {
            return;
        }
        match event {
            Event::Text(t) if in_code_block => sink.push_lines(&t),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                sink.push_inline(&t);
            }
            Event::Html(t) => match &mut html_block {
                Some(block) => block.push_str(&t),
                None => html::extract(&t, sink),
            },
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = html_block.take() {
                    html::extract(&block, sink);
                }
                sink.paragraph();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                sink.paragraph();
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                sink.paragraph();
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            )
            | Event::Rule => sink.paragraph(),
            Event::End(TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow) | Event::HardBreak => {
                sink.line();
            }
            Event::SoftBreak | Event::End(TagEnd::TableCell) => sink.space(),
            // Inline HTML is a tag alone (`<b>`), footnote references and task markers are not
            // words, other starts and ends (emphasis, links) do not separate words.
            _ => {}
        }
    }
}
