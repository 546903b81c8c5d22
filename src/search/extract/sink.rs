//! The extracted text as it is built: runs of whitespace collapsed, line and paragraph breaks
//! kept, control characters dropped, and a hard cap on the number of characters.

/// The separator owed before the next visible character. It is written only then, so the text
/// never starts or ends with whitespace, and the strongest one asked for wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
    Paragraph,
}

impl Gap {
    fn text(self) -> &'static str {
        match self {
            Gap::None => "",
            Gap::Space => " ",
            Gap::Line => "\n",
            Gap::Paragraph => "\n\n",
        }
    }
}

/// Normalised text, at most `max_chars` characters (whole characters: it never cuts inside
/// one). The extractors check [`TextSink::is_full`] to stop reading early.
#[derive(Debug)]
pub(super) struct TextSink {
    text: String,
    chars: usize,
    max_chars: usize,
    gap: Gap,
    /// Newlines seen since the last visible character (plain text and PDF sources).
    newlines: u8,
    full: bool,
}

impl TextSink {
    /// An empty text that will hold at most `max_chars` characters.
    pub fn new(max_chars: usize) -> Self {
        TextSink {
            text: String::new(),
            chars: 0,
            max_chars,
            gap: Gap::None,
            newlines: 0,
            full: max_chars == 0,
        }
    }

    /// The cap is reached: anything pushed now is dropped.
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// Text from a source where a newline is a line break (plain text, PDF): a run of blanks
    /// becomes one space, a run holding one newline a line break, two or more a paragraph break.
    pub fn push_lines(&mut self, s: &str) {
        for c in s.chars() {
            if self.full {
                return;
            }
            if c == '\n' {
                self.newlines = self.newlines.saturating_add(1);
                self.raise(if self.newlines >= 2 {
                    Gap::Paragraph
                } else {
                    Gap::Line
                });
            } else {
                self.push_char(c);
            }
        }
    }

    /// Text from a markup source (XML, HTML, Markdown), where every whitespace run, newlines
    /// included, is one space; breaks come from the elements ([`TextSink::line`] and
    /// [`TextSink::paragraph`]).
    pub fn push_inline(&mut self, s: &str) {
        for c in s.chars() {
            if self.full {
                return;
            }
            self.push_char(c);
        }
    }

    /// A word boundary (a tab, a table cell).
    pub fn space(&mut self) {
        self.raise(Gap::Space);
    }

    /// A line break (`<br>`, `w:br`, `text:line-break`).
    pub fn line(&mut self) {
        self.raise(Gap::Line);
    }

    /// A paragraph break (end of a paragraph, a heading, a PDF page).
    pub fn paragraph(&mut self) {
        self.raise(Gap::Paragraph);
    }

    /// The text; a separator still owed at the end is dropped.
    pub fn finish(self) -> String {
        self.text
    }

    fn raise(&mut self, gap: Gap) {
        self.gap = self.gap.max(gap);
    }

    fn push_char(&mut self, c: char) {
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' {
            // Control characters stand between words (a form feed, a stray NUL), never inside.
            self.raise(Gap::Space);
            return;
        }
        let gap = if self.text.is_empty() {
            ""
        } else {
            self.gap.text()
        };
        let needed = gap.len() + 1; // the separators are ASCII: bytes = characters
        if self.chars + needed > self.max_chars {
            self.full = true;
            return;
        }
        self.text.push_str(gap);
        self.text.push(c);
        self.chars += needed;
        self.gap = Gap::None;
        self.newlines = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::TextSink;

    fn lines(s: &str, cap: usize) -> String {
        let mut sink = TextSink::new(cap);
        sink.push_lines(s);
        sink.finish()
    }

    #[test]
    fn collapses_blanks_and_keeps_breaks() {
        assert_eq!(
            lines("  Un \t deux\r\ntrois\n \n\n\nquatre  \n", 100),
            "Un deux\ntrois\n\nquatre"
        );
    }

    #[test]
    fn markup_text_joins_runs_and_takes_breaks_from_elements() {
        let mut sink = TextSink::new(100);
        sink.push_inline("Mathé");
        sink.push_inline("matiques\n  en");
        sink.space();
        sink.line();
        sink.push_inline(" 5B ");
        sink.paragraph();
        sink.space();
        sink.push_inline("fin");
        sink.paragraph();
        assert_eq!(sink.finish(), "Mathématiques en\n5B\n\nfin");
    }

    #[test]
    fn drops_control_characters_between_words() {
        assert_eq!(lines("a\u{0}b\u{c}c\u{feff}d", 100), "a b c d");
    }

    #[test]
    fn caps_whole_characters() {
        assert_eq!(lines("élève élève", 5), "élève");
        assert_eq!(lines("élève élève", 7), "élève é");
        assert_eq!(lines("ééé", 0), "");
        let mut sink = TextSink::new(3);
        sink.push_inline("abcd");
        assert!(sink.is_full());
        assert_eq!(sink.finish(), "abc");
    }
}
