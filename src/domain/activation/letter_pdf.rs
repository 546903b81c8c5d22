//! Credential letters as PDF (issue 5 §4): one A4 page per account, handed out on paper, that
//! tells a pupil, a parent or a staff member where to go, their login and their one-time
//! activation code, and what to do with them.
//!
//! The PDF is written with `pdf-writer` (objects only, no layout engine), so this module does its
//! own small layout: word wrapping on the fonts' advance widths (read with `ttf-parser`), and
//! fields that shrink, then wrap, then end with "…" so that no name, however long, leaves the
//! page. The fonts (DejaVu Sans, Sans Bold, Sans Mono Bold, `assets/fonts/`, Bitstream Vera
//! licence) are compiled in and embedded as subsets (`subsetter`) holding only the glyphs the
//! document uses, once per document: a 1,500-page batch carries each font once.
//!
//! The text is French only, written here rather than in the Fluent files: it is a document with a
//! fixed layout, not a page of the site, and a school prints it for French families. Pupils are
//! addressed with "tu", adults with "vous".

mod page;

use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

use crate::pdf::fonts::{FontId, FontRefs, Fonts};
use crate::pdf::layout::{PAGE_H, PAGE_W};
use crate::pdf::{PdfError, deflate};

/// Who a letter is for (decides the instructions printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterAudience {
    /// A pupil, with their class name if any ("5B").
    Eleve {
        /// The pupil's class, printed as "Élève de 5B".
        class: Option<String>,
    },
    /// A parent, with the names of their children in this establishment ("Léa MARTIN (5B)").
    Parent {
        /// The children, printed as "Responsable de : Léa MARTIN (5B), Tom MARTIN (3A)".
        children: Vec<String>,
    },
    /// A teacher or staff member.
    Personnel,
}

/// One credential letter (one A4 page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The establishment's name, at the top of the page ("Collège Jules-Ferry").
    pub establishment: String,
    /// The establishment's town, under its name ("Riom").
    pub establishment_town: String,
    /// The instance's address ("https://ent.exemple.fr"): the letter says to go to
    /// `{instance_url}/activation`.
    pub instance_url: String,
    /// The person the letter is for ("Léa MARTIN").
    pub full_name: String,
    /// Who the person is, which decides the instructions.
    pub audience: LetterAudience,
    /// The person's login.
    pub login: String,
    /// The one-time activation code, 12 characters from `ABCDEFGHJKMNPQRSTUVWXYZ23456789`;
    /// printed grouped by four ("ABCD-EFGH-JKLM") in a large monospaced font.
    pub code: String,
    /// The last day the code works, already formatted ("24 février 2027").
    pub expires_on: String,
}

/// Why no PDF could be made.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// No letter was given. A PDF needs at least one page (readers refuse an empty page tree),
    /// so none is made: the caller says "nobody to print" instead.
    #[error("no letter to print")]
    Empty,
    /// The typesetting failed: a broken build, never the user's input.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// One page per letter, in order, fonts embedded (subset), French text.
///
/// The document has no creation date or random id, so the same letters give the same bytes.
pub fn render(letters: &[Letter]) -> Result<Vec<u8>, LetterError> {
    if letters.is_empty() {
        return Err(LetterError::Empty);
    }
    let mut fonts = Fonts::load()?;
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let page_tree = alloc();
    let font_refs = [
        FontRefs::alloc(&mut alloc),
        FontRefs::alloc(&mut alloc),
        FontRefs::alloc(&mut alloc),
    ];

    let mut pages = Vec::with_capacity(letters.len());
    for letter in letters {
        let page_ref = alloc();
        let content_ref = alloc();
        let content = deflate(&page::layout_fitting(&mut fonts, letter));
        pdf.stream(content_ref, &content)
            .filter(Filter::FlateDecode);
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(page_tree)
            .contents(content_ref);
        let mut resources = page.resources();
        let mut dict = resources.fonts();
        for (id, refs) in FontId::ALL.iter().zip(&font_refs) {
            dict.pair(Name(id.resource()), refs.type0);
        }
        dict.finish();
        resources.finish();
        page.finish();
        pages.push(page_ref);
    }

    for (font, refs) in fonts.fonts.iter().zip(&font_refs) {
        font.write(&mut pdf, refs)?;
    }
    let count = i32::try_from(pages.len()).unwrap_or(i32::MAX);
    pdf.pages(page_tree).kids(pages).count(count);
    pdf.catalog(catalog).pages(page_tree).lang(TextStr("fr-FR"));
    let info = alloc();
    pdf.document_info(info)
        .title(TextStr("Courriers d’activation Cartable"))
        .producer(TextStr("Cartable"));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A letter for `name`, the rest fixed.
    pub(super) fn letter(name: &str, audience: LetterAudience) -> Letter {
        Letter {
            establishment: "Collège Jules-Ferry".into(),
            establishment_town: "Riom".into(),
            instance_url: "https://ent.exemple.fr".into(),
            full_name: name.into(),
            audience,
            login: "lea.martin".into(),
            code: "ABCDEFGHJKLM".into(),
            expires_on: "24 février 2027".into(),
        }
    }

    #[test]
    fn no_letters_is_an_error() {
        assert!(matches!(render(&[]), Err(LetterError::Empty)));
    }

    #[test]
    fn three_letters_make_three_pages() {
        let letters = [
            letter(
                "Léa MARTIN",
                LetterAudience::Eleve {
                    class: Some("5B".into()),
                },
            ),
            letter(
                "Paul MARTIN",
                LetterAudience::Parent {
                    children: vec!["Léa MARTIN (5B)".into()],
                },
            ),
            letter("Anne PROF", LetterAudience::Personnel),
        ];
        let pdf = render(&letters).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"), "page tree counts 3 pages");
        assert_eq!(text.matches("/Type /Page\n").count(), 3);
        // Same letters, same bytes.
        assert_eq!(render(&letters).unwrap(), pdf);
    }
}
