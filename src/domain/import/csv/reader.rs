//! The record reader: splits decoded text into records and fields, counting physical lines
//! itself (the `csv` crate's positions were off on CRLF and blank lines, fixtures README §2).
//!
//! RFC 4180 with Excel's leniency: a field may be quoted, `""` inside quotes is one `"`, and a
//! quoted field may span lines. A quote in the middle of an unquoted field is kept as text, and
//! text after a closing quote is appended. Line ends are CRLF, LF or a lone CR (old Mac Excel).
//! Memory per record is bounded: a field keeps at most [`MAX_STORED_CHARS`] characters (its
//! real length is still counted) and a record keeps at most [`MAX_FIELDS`] fields.

/// Characters kept per field; longer fields are truncated here and refused by the validator,
/// whose limits are all below this.
pub(super) const MAX_STORED_CHARS: usize = 2_000;

/// Fields kept per record; the others are only counted.
pub(super) const MAX_FIELDS: usize = 64;

/// Line ends a quoted field may hold. Past this, its quote counts as never closed: a real cell
/// has a few lines at most, and without a bound, a file of stray quotes would be rescanned to
/// its end from each of them (quadratic time).
pub(super) const MAX_QUOTED_LINES: usize = 20;

/// One field of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Field {
    /// The text, unquoted, truncated to [`MAX_STORED_CHARS`] characters.
    pub text: String,
    /// The real length in characters.
    pub chars: usize,
}

impl Field {
    fn push(&mut self, c: char) {
        if self.chars < MAX_STORED_CHARS {
            self.text.push(c);
        }
        self.chars += 1;
    }
}

/// One record: a line, or several when a quoted field spans lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// The physical line (1-based) where the record starts.
    pub line: usize,
    /// The first [`MAX_FIELDS`] fields.
    pub fields: Vec<Field>,
    /// How many fields the record really has.
    pub field_count: usize,
}

impl Record {
    /// Whether every field is empty or blank: an empty line, or Excel's `;;;;` for an empty row.
    pub fn is_blank(&self) -> bool {
        self.field_count <= self.fields.len()
            && self.fields.iter().all(|f| f.text.trim().is_empty())
    }
}

/// What the reader yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// A complete record.
    Record(Record),
    /// A quoted field opened on `quote_line` was never closed before the end of the file (or
    /// within [`MAX_QUOTED_LINES`] lines). The record starting at `line` is lost; reading resumes on the line after `quote_line`, so
    /// one stray quote does not swallow the rest of the file.
    UnclosedQuote {
        /// Where the record starts.
        line: usize,
        /// Where the unclosed quote is.
        quote_line: usize,
    },
}

/// Reads records from decoded text (without BOM).
pub(super) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    sep: char,
}

impl<'a> Reader<'a> {
    /// A reader of `text`, whose first line is line 1.
    pub fn new(text: &'a str, sep: char) -> Self {
        Self {
            text,
            pos: 0,
            line: 1,
            sep,
        }
    }

    /// The byte length of the line end at `pos` (0 when there is none).
    fn line_end_len(&self, pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        match bytes.get(pos) {
            Some(b'\r') if bytes.get(pos + 1) == Some(&b'\n') => 2,
            Some(b'\r' | b'\n') => 1,
            _ => 0,
        }
    }

    /// Moves past the line that contains byte `from`, which is line `line`.
    fn skip_line(&mut self, from: usize, line: usize) {
        let rest = &self.text[from..];
        match rest.find(['\r', '\n']) {
            Some(i) => {
                let end = from + i;
                self.pos = end + self.line_end_len(end);
            }
            None => self.pos = self.text.len(),
        }
        self.line = line + 1;
    }
}

impl Iterator for Reader<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field_count = 0;
        let mut field = Field::default();
        // Quoted: (byte where the quote is, its line) while inside quotes.
        let mut quoted: Option<(usize, usize)> = None;
        let mut at_field_start = true;
        let mut pos = self.pos;
        let text = self.text;

        while let Some(c) = text[pos..].chars().next() {
            if quoted.is_some() {
                match c {
                    '"' if text[pos + 1..].starts_with('"') => {
                        field.push('"');
                        pos += 2;
                    }
                    '"' => {
                        quoted = None;
                        pos += 1;
                    }
                    '\r' | '\n' => {
                        if let Some((quote_pos, quote_line)) = quoted
                            && self.line - quote_line >= MAX_QUOTED_LINES
                        {
                            self.skip_line(quote_pos, quote_line);
                            return Some(Item::UnclosedQuote {
                                line: start_line,
                                quote_line,
                            });
                        }
                        let len = self.line_end_len(pos);
                        field.push('\n');
                        self.line += 1;
                        pos += len;
                    }
                    _ => {
                        field.push(c);
                        pos += c.len_utf8();
                    }
                }
                continue;
            }
            match c {
                '"' if at_field_start => {
                    quoted = Some((pos, self.line));
                    at_field_start = false;
                    pos += 1;
                }
                c if c == self.sep => {
                    finish(&mut field, &mut fields, &mut field_count);
                    at_field_start = true;
                    pos += 1;
                }
                '\r' | '\n' => {
                    finish(&mut field, &mut fields, &mut field_count);
                    pos += self.line_end_len(pos);
                    self.line += 1;
                    self.pos = pos;
                    return Some(Item::Record(Record {
                        line: start_line,
                        fields,
                        field_count,
                    }));
                }
                _ => {
                    field.push(c);
                    at_field_start = false;
                    pos += c.len_utf8();
                }
            }
        }

        // End of the text.
        if let Some((quote_pos, quote_line)) = quoted {
            self.skip_line(quote_pos, quote_line);
            return Some(Item::UnclosedQuote {
                line: start_line,
                quote_line,
            });
        }
        finish(&mut field, &mut fields, &mut field_count);
        self.pos = text.len();
        Some(Item::Record(Record {
            line: start_line,
            fields,
            field_count,
        }))
    }
}

/// Ends the current field.
fn finish(field: &mut Field, fields: &mut Vec<Field>, field_count: &mut usize) {
    *field_count += 1;
    let f = std::mem::take(field);
    if fields.len() < MAX_FIELDS {
        fields.push(f);
    }
}

/// The separator of a file: `;` (Excel in French) or `,`, whichever occurs more often outside
/// quotes in the first line; `;` when neither occurs.
pub(super) fn detect_separator(text: &str) -> char {
    let (mut semicolons, mut commas, mut in_quotes) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\r' | '\n' if !in_quotes => break,
            ';' if !in_quotes => semicolons += 1,
            ',' if !in_quotes => commas += 1,
            _ => {}
        }
    }
    if commas > semicolons { ',' } else { ';' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, sep: char) -> Vec<(usize, Vec<String>)> {
        Reader::new(text, sep)
            .map(|item| match item {
                Item::Record(r) => (r.line, r.fields.into_iter().map(|f| f.text).collect()),
                Item::UnclosedQuote { line, .. } => (line, vec!["<unclosed>".to_owned()]),
            })
            .collect()
    }

    fn rec(line: usize, fields: &[&str]) -> (usize, Vec<String>) {
        (line, fields.iter().map(|f| (*f).to_owned()).collect())
    }

    #[test]
    fn line_ends_and_blank_lines_count() {
        let got = read("a;b\r\n\r\nc;d\ne\rf", ';');
        assert_eq!(
            got,
            vec![
                rec(1, &["a", "b"]),
                rec(2, &[""]),
                rec(3, &["c", "d"]),
                rec(4, &["e"]),
                rec(5, &["f"]),
            ]
        );
        // A final line end does not make an extra line.
        assert_eq!(
            read("a\r\nb\r\n", ';'),
            vec![rec(1, &["a"]), rec(2, &["b"])]
        );
    }

    #[test]
    fn quotes_escape_and_span_lines() {
        let got = read("\"a;\"\"b\"\"\";c\r\n\"x\r\ny\";z\r\nnext", ';');
        assert_eq!(
            got,
            vec![
                rec(1, &["a;\"b\"", "c"]),
                rec(2, &["x\ny", "z"]),
                rec(4, &["next"])
            ]
        );
        // Lenient: a quote inside a field is text, text after a closing quote is kept.
        assert_eq!(read("ab\"c;\"d\"e", ';'), vec![rec(1, &["ab\"c", "de"])]);
    }

    #[test]
    fn an_unclosed_quote_loses_one_line_only() {
        let items: Vec<Item> = Reader::new("a\r\n\"b;c\r\nd;e\r\n", ';').collect();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[1],
            Item::UnclosedQuote {
                line: 2,
                quote_line: 2
            }
        );
        let Item::Record(r) = &items[2] else {
            panic!("record")
        };
        assert_eq!((r.line, r.fields.len()), (3, 2));
    }

    #[test]
    fn a_quoted_field_spans_a_bounded_number_of_lines() {
        let lines = "a\n".repeat(MAX_QUOTED_LINES);
        assert_eq!(
            read(&format!("\"{lines}\";x\ny"), ';'),
            vec![rec(1, &[&lines, "x"]), rec(MAX_QUOTED_LINES + 2, &["y"])]
        );
        let too_long = format!("z\n\"a\n{lines}\";x\ny");
        let items: Vec<Item> = Reader::new(&too_long, ';').collect();
        assert_eq!(
            items[1],
            Item::UnclosedQuote {
                line: 2,
                quote_line: 2
            }
        );
        // Reading resumes on line 3, one record per line; the closing quote now opens a field
        // that never closes either.
        let last = MAX_QUOTED_LINES + 3;
        assert_eq!(items.len(), MAX_QUOTED_LINES + 4);
        assert_eq!(
            items[MAX_QUOTED_LINES + 2],
            Item::UnclosedQuote {
                line: last,
                quote_line: last
            }
        );
    }

    #[test]
    fn long_fields_and_many_fields_are_bounded() {
        let long = "x".repeat(MAX_STORED_CHARS * 3);
        let many = ";".repeat(MAX_FIELDS * 2);
        let items: Vec<Item> = Reader::new(&format!("{long}\n{many}"), ';').collect();
        let Item::Record(r) = &items[0] else {
            panic!("record")
        };
        assert_eq!(r.fields[0].chars, MAX_STORED_CHARS * 3);
        assert_eq!(r.fields[0].text.len(), MAX_STORED_CHARS);
        let Item::Record(r) = &items[1] else {
            panic!("record")
        };
        assert_eq!(
            (r.fields.len(), r.field_count),
            (MAX_FIELDS, MAX_FIELDS * 2 + 1)
        );
        assert!(
            !r.is_blank(),
            "fields beyond the kept ones are not known to be blank"
        );
    }

    #[test]
    fn separator_comes_from_the_header() {
        assert_eq!(detect_separator("Nom;Prénom;Classe\r\na,b,c,d,e"), ';');
        assert_eq!(detect_separator("Nom,Prénom,Classe"), ',');
        assert_eq!(detect_separator("\"Nom;x\",Prénom,Classe"), ',');
        assert_eq!(detect_separator(""), ';');
    }
}
