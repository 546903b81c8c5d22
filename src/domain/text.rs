//! French text helpers: sorting and matching that ignore accents and case, as French users
//! expect ("Émile" sorts with "Emile", "eleve" finds "élève"); and the text hygiene every
//! text a person types goes through before it is checked or stored ([`single_line`],
//! [`multi_line`], [`has_letter`]; docs/security.md "Text hygiene").

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a bidirectional formatting character that changes the order in which the
/// text around it is shown: the embeddings and overrides U+202A–U+202E (LRE, RLE, PDF, LRO,
/// RLO) and the isolates U+2066–U+2069 (LRI, RLI, FSI, PDI). "facture\u{202e}fdp.exe" reads
/// "factureexe.pdf"; a date printed after such a subject reads backwards. Never kept.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is a bidirectional mark: LRM U+200E, RLM U+200F, ALM U+061C. They cannot
/// reverse a run of letters (they only give a direction to the neutral characters next to
/// them), so a long text keeps them ([`multi_line`]); a single line loses them
/// ([`single_line`]), because they are invisible and a name, a subject or a folder name is
/// compared, sorted and looked up: « Devoirs » and « Devoirs\u{200e} » would look the same and
/// be two folders. Pages isolate every user text (`<bdi>`), so a line needs no mark to read
/// right.
pub fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Invisible characters that only hide a difference in a single line: zero-width space
/// U+200B, word joiner and invisible operators U+2060–U+2064, byte-order mark U+FEFF. The
/// zero-width (non-)joiners U+200C and U+200D stay: Persian, the Indic scripts and emoji
/// sequences need them.
fn is_invisible_in_a_line(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Whether `c` is a no-break space (U+00A0, U+202F narrow, U+2007 figure): French typography
/// puts them before « ; : ! ? » and inside « », so a lone one is kept as typed.
fn is_no_break_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// One line of text a person typed (a subject, a name, a folder or file name, a reason, a
/// title), made safe to store, compare and show:
/// - no control character: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F) are removed, the
///   white-space ones (tab, line feed, carriage return, U+0085…) becoming a space;
/// - no bidirectional control ([`is_bidi_control`]) and no bidirectional mark
///   ([`is_bidi_mark`]), no zero-width space, word joiner or byte-order mark;
/// - every run of white space (the line and paragraph separators included) one space, except
///   a lone no-break space, kept; no white space at either end;
/// - Unicode NFC, so « é » typed as `e` + U+0301 and as U+00E9 are the same text.
///
/// Letters, digits, punctuation, symbols and emoji are kept. The function is idempotent. It
/// never refuses: the caller checks what is left (empty, too long, [`has_letter`]).
pub fn single_line(raw: &str) -> String {
    let kept: String = raw
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(if is_no_break_space(c) { c } else { ' ' })
            } else if c.is_control()
                || is_bidi_control(c)
                || is_bidi_mark(c)
                || is_invisible_in_a_line(c)
            {
                None
            } else {
                Some(c)
            }
        })
        .collect();
    let composed: String = kept.nfc().collect();
    let mut out = String::with_capacity(composed.len());
    let mut run: Option<(char, usize)> = None;
    let flush = |out: &mut String, run: &mut Option<(char, usize)>| {
        if let Some((c, n)) = run.take() {
            out.push(if n == 1 && is_no_break_space(c) {
                c
            } else {
                ' '
            });
        }
    };
    for c in composed.chars() {
        if c.is_whitespace() {
            run = Some(match run {
                Some((first, n)) => (first, n + 1),
                None => (c, 1),
            });
        } else {
            if !out.is_empty() {
                flush(&mut out, &mut run);
            }
            run = None;
            out.push(c);
        }
    }
    out
}

/// A text of several lines a person typed (a message body, a report's reason, the charter):
/// line ends become `\n` (CR LF, CR, U+2028, U+2029, U+0085), tabs stay, every other control
/// character and every bidirectional control ([`is_bidi_control`]) is removed, and the text
/// is NFC. Bidirectional marks stay (a paragraph mixing Arabic or Hebrew with numbers may
/// need them, and they cannot reverse a run of letters); spaces and blank lines stay as typed
/// (Markdown gives them meaning). Idempotent.
pub fn multi_line(raw: &str) -> String {
    let mut kept = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    kept.push('\n');
                }
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => kept.push('\n'),
            '\t' => kept.push('\t'),
            c if c.is_control() || is_bidi_control(c) => {}
            c => kept.push(c),
        }
    }
    kept.nfc().collect()
}

/// Whether `s` has at least one letter (Unicode alphabetic: Latin, Greek, Arabic, Chinese…).
/// A person's name needs one: « 😀🎒 » is no name, and would become the login
/// `grinning-school-satchel`.
pub fn has_letter(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

/// A key that sorts French names as people expect: accents and case folded, then the original
/// as a tie-breaker.
pub fn french_key(s: &str) -> (String, String) {
    (fold(s), s.to_owned())
}

/// Lower case without accents: "Élève" → "eleve", "Œuvre" → "oeuvre".
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// A date as French prose: "24 février 2027", "1er mars 2027".
pub fn french_date(date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0) % 12];
    let day = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    format!("{day} {month} {}", date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_do_not_change_the_order() {
        let mut names = vec!["Zoé", "émile", "Eric", "Élodie", "Adèle"];
        names.sort_by_key(|n| french_key(n));
        assert_eq!(names, ["Adèle", "Élodie", "émile", "Eric", "Zoé"]);
        assert_eq!(fold("Élève Œuvre"), "eleve oeuvre");
    }

    #[test]
    fn a_line_loses_controls_and_direction_changes() {
        assert_eq!(
            single_line("  Sortie\u{0}\u{7} du\n\r\t jeudi  "),
            "Sortie du jeudi"
        );
        assert_eq!(single_line("Bulletin\u{202e}fdp.exe"), "Bulletinfdp.exe");
        assert_eq!(
            single_line("\u{2066}a\u{2069}\u{200f}b\u{200e}\u{61c}"),
            "ab"
        );
        assert_eq!(single_line("a\u{200b}b\u{feff}\u{2060}c"), "abc");
        assert_eq!(single_line("a\u{85}b\u{2028}c\u{2029}d\u{9f}"), "a b c d");
        // NFC: « é » typed with a combining accent is the precomposed letter.
        assert_eq!(single_line("E\u{301}le\u{300}ve"), "\u{c9}l\u{e8}ve");
        assert_eq!(single_line("e\u{0}\u{301}"), "é");
        // A lone no-break space stays (French typography); runs become one space.
        assert_eq!(single_line("Devoirs\u{a0}: lundi"), "Devoirs\u{a0}: lundi");
        assert_eq!(
            single_line("Devoirs \u{a0}\u{202f}: lundi"),
            "Devoirs : lundi"
        );
        assert_eq!(single_line("\u{a0}x\u{202f}"), "x");
        // What people write is kept: other scripts, joiners, emoji, punctuation.
        assert_eq!(single_line("تمرين ١ – שיעור"), "تمرين ١ – שיעור");
        assert_eq!(
            single_line("می\u{200c}خواهم 👨\u{200d}👩\u{200d}👧"),
            "می\u{200c}خواهم 👨\u{200d}👩\u{200d}👧"
        );
        assert_eq!(
            single_line("Devoirs 2025/2026 « B » <b>"),
            "Devoirs 2025/2026 « B » <b>"
        );
        assert_eq!(single_line(" \u{202e}\u{0} "), "");
    }

    #[test]
    fn a_text_keeps_its_lines_and_loses_the_rest() {
        assert_eq!(
            multi_line("Bonjour,\r\n\r\n  - a\tb\u{0}\u{7}\rfin\u{202e}ok\u{2028}x"),
            "Bonjour,\n\n  - a\tb\nfinok\nx"
        );
        // Marks stay in a text: a mixed-direction paragraph may need them.
        assert_eq!(multi_line("שלום\u{200f} 12"), "שלום\u{200f} 12");
        assert_eq!(multi_line("e\u{301}"), "é");
    }

    #[test]
    fn names_need_a_letter() {
        assert!(has_letter("Léa"));
        assert!(has_letter("李"));
        assert!(has_letter("N'Diaye"));
        assert!(!has_letter("😀🎒"));
        assert!(!has_letter("123 - '"));
        assert!(!has_letter(""));
    }

    /// Text mixing everything a hostile or careless person may type.
    fn messy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-zA-Zàâçéèêëîïôûùüÿœæ ΑΩαωابتשלום中文0-9.,;:!?«»/'-]{0,6}",
            1 => "[\u{0}-\u{1f}\u{7f}-\u{9f}]",
            1 => "[\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200b}-\u{200f}\u{61c}\u{feff}\u{2060}]",
            1 => "[ \u{a0}\u{202f}\u{2007}\u{2000}-\u{200a}\u{2028}\u{2029}\u{3000}\t\n\r]{1,3}",
            1 => "[\u{300}-\u{36f}\u{1100}-\u{1112}\u{1161}-\u{1175}]",
            1 => any::<String>(),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
    }

    fn forbidden_in_a_line(c: char) -> bool {
        c.is_control() || is_bidi_control(c) || is_bidi_mark(c) || is_invisible_in_a_line(c)
    }

    proptest! {
        #[test]
        fn a_clean_line_is_clean_and_stays_so(raw in messy()) {
            let line = single_line(&raw);
            prop_assert_eq!(single_line(&line), line.clone(), "idempotent");
            prop_assert!(!line.chars().any(forbidden_in_a_line), "{:?}", line);
            prop_assert!(unicode_normalization::is_nfc(&line), "NFC: {:?}", line);
            prop_assert_eq!(line.trim(), line.as_str(), "trimmed");
            prop_assert!(!line.contains("  "), "one space at a time: {:?}", line);
            prop_assert!(!line.contains(['\n', '\r', '\t']));
        }

        #[test]
        fn a_clean_text_is_clean_and_stays_so(raw in messy()) {
            let text = multi_line(&raw);
            prop_assert_eq!(multi_line(&text), text.clone(), "idempotent");
            prop_assert!(
                !text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)),
                "{:?}", text
            );
            prop_assert!(unicode_normalization::is_nfc(&text), "NFC: {:?}", text);
            prop_assert_eq!(
                text.matches('\n').count(),
                raw.replace("\r\n", "\n").chars()
                    .filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
                    .count(),
                "every line end kept"
            );
        }

        #[test]
        fn letters_are_kept_in_order(
            words in proptest::collection::vec("[a-zA-Zàâçéèêëîïôûùüÿœæ ΑΩαωابتשלום中文]{1,8}", 1..6),
            noise in proptest::collection::vec("[\u{0}-\u{1f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e} \t\n]{0,3}", 6),
        ) {
            let raw: String = words.iter().zip(&noise).map(|(w, n)| format!("{n}{w}")).collect();
            let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).collect::<String>();
            prop_assert_eq!(letters(&single_line(&raw)), letters(&raw));
            prop_assert_eq!(letters(&multi_line(&raw)), letters(&raw));
            prop_assert_eq!(has_letter(&single_line(&raw)), has_letter(&raw));
        }
    }

    #[test]
    fn dates_read_as_french_prose() {
        let d = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(french_date(d(2027, 2, 24)), "24 février 2027");
        assert_eq!(french_date(d(2027, 3, 1)), "1er mars 2027");
        assert_eq!(french_date(d(2026, 12, 31)), "31 décembre 2026");
    }
}
