//! Each format on a file made here, the caps (characters, input size, zip bomb, PDF bomb,
//! huge declared sizes), and format detection.

use std::io::{Cursor, Write};
use std::path::PathBuf;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::*;

/// A temp dir holding one file with these bytes.
struct TempFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn file(name: &str, bytes: &[u8]) -> TempFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    TempFile { _dir: dir, path }
}

fn extract(name: &str, bytes: &[u8], format: Format) -> Result<String, ExtractError> {
    extract_file(&file(name, bytes).path, format, &ExtractLimits::default())
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        // ODT's `mimetype` is stored, the rest deflated, as office suites do.
        let method = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const DOCUMENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:body>
    <w:p><w:pPr><w:pStyle w:val="Titre"/></w:pPr><w:r><w:t>Mathé</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>matiques</w:t></w:r></w:p>
    <w:p><w:r><w:t xml:space="preserve">Devoir de l&apos;élève  </w:t></w:r><w:r><w:tab/><w:t>R&amp;D</w:t><w:br/><w:t>&#233;t&#xE9;</w:t></w:r></w:p>
    <w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>effacé</w:delText></w:r></w:p>
    <w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
  </w:body>
</w:document>"#;

fn docx_bytes() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", DOCUMENT_XML.as_bytes()),
        (
            "word/footnotes.xml",
            br#"<w:footnotes xmlns:w="w"><w:footnote><w:p><w:r><w:t>Une note</w:t></w:r></w:p></w:footnote></w:footnotes>"#,
        ),
    ])
}

#[test]
fn docx_text_runs_paragraphs_and_references() {
    let text = extract("devoir.docx", &docx_bytes(), Format::Docx).unwrap();
    assert_eq!(
        text,
        "Mathématiques\n\nDevoir de l'élève R&D\nété\n\nA1\n\nB1\n\nUne note"
    );
}

#[test]
fn docx_without_document_xml_is_malformed() {
    let bytes = zip_of(&[("[Content_Types].xml", b"<Types/>")]);
    assert!(matches!(
        extract("x.docx", &bytes, Format::Docx),
        Err(ExtractError::Malformed(_))
    ));
    assert!(matches!(
        extract("x.docx", b"not a zip at all", Format::Docx),
        Err(ExtractError::Malformed(_))
    ));
}

const CONTENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">
  <office:body><office:text>
    <text:h text:outline-level="1">Mathématiques</text:h>
    <text:p>Exercice<text:s text:c="3"/>pour l&apos;<text:span text:style-name="T1">élève</text:span><text:tab/>de 5B<text:line-break/>à rendre</text:p>
    <text:p/>
    <table:table><table:table-row><table:table-cell><text:p>A1</text:p></table:table-cell><table:table-cell><text:p>B1</text:p></table:table-cell></table:table-row></table:table>
  </office:text></office:body>
</office:document-content>"#;

fn odt_bytes() -> Vec<u8> {
    zip_of(&[
        ("mimetype", ODT_TYPE.as_bytes()),
        ("content.xml", CONTENT_XML.as_bytes()),
    ])
}

#[test]
fn odt_paragraphs_headings_spans_and_spaces() {
    let text = extract("devoir.odt", &odt_bytes(), Format::Odt).unwrap();
    assert_eq!(
        text,
        "Mathématiques\n\nExercice pour l'élève de 5B\nà rendre\n\nA1\n\nB1"
    );
}

#[test]
fn plain_text_utf8_windows_1252_and_utf16() {
    assert_eq!(
        extract(
            "a.txt",
            "Élève\r\n\r\nmathématiques".as_bytes(),
            Format::Text
        )
        .unwrap(),
        "Élève\n\nmathématiques"
    );
    // "L'élève étudie" saved by an old Windows editor: é is 0xE9, è 0xE8; ’ (0x92) is
    // Windows-1252, not Latin-1.
    assert_eq!(
        extract("a.txt", b"L\x92\xe9l\xe8ve \xe9tudie", Format::Text).unwrap(),
        "L\u{2019}élève étudie"
    );
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("élève".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(extract("a.txt", &utf16, Format::Text).unwrap(), "élève");
    assert_eq!(
        extract("a.txt", "\u{feff}bom".as_bytes(), Format::Text).unwrap(),
        "bom"
    );
}

#[test]
fn markdown_keeps_words_and_drops_markup() {
    let md = "# Mathé*matiques*\n\nUn **devoir** pour l'[élève](https://exemple.fr) : `x + 1`.\n\n\
              - premier\n- second\n\n```\nfn main() {}\n```\n\n<div>\n<script>alert('non')</script>\nbloc HTML\n</div>\n\n\
              | A | B |\n|---|---|\n| a1 | b1 |\n";
    let text = extract("cours.md", md.as_bytes(), Format::Markdown).unwrap();
    assert_eq!(
        text,
        "Mathématiques\n\nUn devoir pour l'élève : x + 1.\n\npremier\nsecond\n\nfn main() {}\n\nbloc HTML\n\nA B\na1 b1"
    );
}

#[test]
fn html_text_without_scripts_styles_or_comments() {
    let html = r#"<!DOCTYPE html><html><head><title>Cours de 5B</title>
        <style>body { content: "style-caché" }</style>
        <script>var s = "</p>script-caché";</script></head>
        <body><h1>Math&eacute;matiques</h1><p>L&#8217;&#xE9;l&egrave;ve<br>lit &lt;ceci&gt;</p>
        <!-- commentaire-caché --><ul><li>un</li><li>deux</li></ul>
        <pre>ligne 1
ligne 2</pre><table><tr><td>A1</td><td>B1</td></tr></table><noscript>sans JS</noscript></body></html>"#;
    let text = extract("page.html", html.as_bytes(), Format::Html).unwrap();
    assert!(!text.contains("caché"), "{text}");
    assert!(!text.contains("alert"), "{text}");
    assert_eq!(
        text,
        "Cours de 5B\n\nMathématiques\n\nL\u{2019}élève\nlit <ceci>\n\nun\ndeux\n\nligne 1\nligne 2\n\nA1 B1\n\nsans JS"
    );
}

#[test]
fn text_is_cut_at_the_character_cap() {
    let limits = ExtractLimits {
        max_output_chars: 9,
        ..ExtractLimits::default()
    };
    let long = "élève ".repeat(100_000);
    for (name, format, bytes) in [
        ("a.txt", Format::Text, long.clone().into_bytes()),
        ("a.md", Format::Markdown, long.clone().into_bytes()),
        (
            "a.html",
            Format::Html,
            format!("<p>{long}</p>").into_bytes(),
        ),
        (
            "a.docx",
            Format::Docx,
            zip_of(&[(
                "word/document.xml",
                format!("<w:document><w:p><w:r><w:t>{long}</w:t></w:r></w:p></w:document>")
                    .as_bytes(),
            )]),
        ),
        (
            "a.pdf",
            Format::Pdf,
            type1_pdf(&["élève élève élève"], false),
        ),
    ] {
        let text = extract_file(&file(name, &bytes).path, format, &limits).unwrap();
        assert_eq!(text, "élève élè", "{format:?}");
        assert_eq!(text.chars().count(), 9);
    }
}

#[test]
fn a_file_over_the_input_cap_is_refused_unread() {
    // A "1 GB" PDF: sparse, so the test writes almost nothing; refused on its size.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    let f = std::fs::File::create(&path).unwrap();
    (&f).write_all(b"%PDF-1.7\n").unwrap();
    f.set_len(1 << 30).unwrap();
    for format in Format::ALL {
        assert_eq!(
            extract_file(&path, format, &ExtractLimits::default()),
            Err(ExtractError::TooLarge)
        );
    }
    let limits = ExtractLimits {
        max_input_bytes: 10,
        ..ExtractLimits::default()
    };
    let small = file("a.txt", b"eleven byte");
    assert_eq!(
        extract_file(&small.path, Format::Text, &limits),
        Err(ExtractError::TooLarge)
    );
}

/// A zip with one deflated entry whose header declares `declared` unpacked bytes and whose
/// data unpacks to `chunks` MiB of spaces. Written by hand: the data is one compressed MiB
/// repeated (each piece ends byte-aligned on a sync flush), so the test never compresses
/// 200 MiB. The bombs' CRC is left at 0: reading must stop long before it is checked.
fn space_bomb(name: &str, chunks: usize, declared: u32, crc: u32) -> Vec<u8> {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&vec![b' '; 1 << 20]).unwrap();
    encoder.flush().unwrap();
    let mut data = encoder.get_ref().repeat(chunks);
    data.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]); // final empty stored block
    let compressed = u32::try_from(data.len()).unwrap();
    let name_len = u16::try_from(name.len()).unwrap();
    let header = |central: bool| {
        let mut h = Vec::new();
        if central {
            h.extend(0x0201_4b50u32.to_le_bytes());
            h.extend(20u16.to_le_bytes()); // made by
        } else {
            h.extend(0x0403_4b50u32.to_le_bytes());
        }
        h.extend(20u16.to_le_bytes()); // version needed
        h.extend(0u16.to_le_bytes()); // flags
        h.extend(8u16.to_le_bytes()); // deflate
        h.extend(0u16.to_le_bytes()); // time
        h.extend(0x21u16.to_le_bytes()); // 1980-01-01
        h.extend(crc.to_le_bytes());
        h.extend(compressed.to_le_bytes());
        h.extend(declared.to_le_bytes());
        h.extend(name_len.to_le_bytes());
        h.extend(0u16.to_le_bytes()); // extra
        if central {
            h.extend(0u16.to_le_bytes()); // comment
            h.extend(0u16.to_le_bytes()); // disk
            h.extend(0u16.to_le_bytes()); // internal attributes
            h.extend(0u32.to_le_bytes()); // external attributes
            h.extend(0u32.to_le_bytes()); // local header offset
        }
        h.extend(name.as_bytes());
        h
    };
    let mut zip = header(false);
    zip.extend(&data);
    let central_at = u32::try_from(zip.len()).unwrap();
    let central = header(true);
    let central_len = u32::try_from(central.len()).unwrap();
    zip.extend(central);
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend([0u8; 4]); // disk numbers
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(central_len.to_le_bytes());
    zip.extend(central_at.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

#[test]
fn a_zip_bomb_is_capped() {
    let limits = ExtractLimits {
        max_unpacked_bytes: 1 << 20,
        ..ExtractLimits::default()
    };
    // 200 MiB of spaces in about 200 KB; its header says so: refused before any unpacking.
    let honest = space_bomb("word/document.xml", 200, 200 << 20, 0);
    assert!(honest.len() < 1 << 20, "{}", honest.len());
    let honest = file("bomb.docx", &honest);
    assert_eq!(
        extract_file(&honest.path, Format::Docx, &limits),
        Err(ExtractError::TooLarge)
    );
    // The same data under a header that lies (1 KB): unpacking stops there. The zip crate
    // itself refuses to read past the declared size (a malformed file); our own cap
    // (`office::Capped`, tested in office.rs) is the second guard.
    let liar = file("bomb.docx", &space_bomb("word/document.xml", 200, 1000, 0));
    let outcome = extract_file(&liar.path, Format::Docx, &limits);
    assert!(
        matches!(
            outcome,
            Err(ExtractError::TooLarge | ExtractError::Malformed(_))
        ),
        "{outcome:?}"
    );
    let odt = file("bomb.odt", &space_bomb("content.xml", 200, 1000, 0));
    let outcome = extract_file(&odt.path, Format::Odt, &limits);
    assert!(
        matches!(
            outcome,
            Err(ExtractError::TooLarge | ExtractError::Malformed(_))
        ),
        "{outcome:?}"
    );
    // Under the cap the same construction reads to the end: the data is a valid stream.
    let mut crc = flate2::Crc::new();
    crc.update(&vec![b' '; 1 << 20]);
    let small = space_bomb("word/document.xml", 1, 1 << 20, crc.sum());
    let small = file("small.docx", &small);
    let roomy = ExtractLimits {
        max_unpacked_bytes: 2 << 20,
        ..ExtractLimits::default()
    };
    assert_eq!(
        extract_file(&small.path, Format::Docx, &roomy),
        Ok(String::new())
    );
}

/// A one-page-per-string PDF in Helvetica (a standard Type 1 font, WinAnsiEncoding), written
/// with pdf-writer; the content streams compressed if `deflate`.
fn type1_pdf(pages: &[&str], deflate: bool) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let mut next = 4;
    let mut kids = Vec::new();
    for text in pages {
        let page = Ref::new(next);
        let content_ref = Ref::new(next + 1);
        next += 2;
        kids.push(page);
        let mut content = Content::new();
        content.begin_text();
        content.set_font(Name(b"F1"), 14.0);
        content.next_line(72.0, 770.0);
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                content.next_line(0.0, -18.0);
            }
            let bytes: Vec<u8> = encoding_rs::WINDOWS_1252.encode(line).0.into_owned();
            content.show(Str(&bytes));
        }
        content.end_text();
        let content = content.finish();
        if deflate {
            pdf.stream(content_ref, &crate::pdf::deflate(&content))
                .filter(Filter::FlateDecode);
        } else {
            pdf.stream(content_ref, &content);
        }
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(tree)
            .contents(content_ref);
        p.resources().fonts().pair(Name(b"F1"), font);
        p.finish();
    }
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let count = i32::try_from(kids.len()).unwrap();
    pdf.pages(tree).kids(kids).count(count);
    pdf.catalog(catalog).pages(tree);
    pdf.finish()
}

#[test]
fn pdf_with_a_standard_font() {
    let bytes = type1_pdf(&["Mathématiques\nDevoir de l'élève", "Deuxième page"], true);
    let text = extract("cours.pdf", &bytes, Format::Pdf).unwrap();
    assert!(text.contains("Mathématiques"), "{text:?}");
    assert!(text.contains("élève"), "{text:?}");
    assert!(text.contains("Deuxième page"), "{text:?}");
    assert!(
        text.find("Mathématiques").unwrap() < text.find("Deuxième").unwrap(),
        "{text:?}"
    );
}

#[test]
fn pdf_written_by_our_credential_letters() {
    // Type 0 fonts (embedded DejaVu subsets, Identity-H) with a /ToUnicode map.
    use crate::domain::activation::letter_pdf::{Letter, LetterAudience, render};
    let letter = Letter {
        establishment: "Collège des Mathématiques".into(),
        establishment_town: "Riom".into(),
        instance_url: "https://ent.exemple.fr".into(),
        full_name: "Léa MARTIN".into(),
        audience: LetterAudience::Eleve {
            class: Some("5B".into()),
        },
        login: "lea.martin".into(),
        code: "ABCDEFGHJKLM".into(),
        expires_on: "24 février 2027".into(),
    };
    let bytes = render(&[letter]).unwrap();
    let text = extract("courrier.pdf", &bytes, Format::Pdf).unwrap();
    assert!(text.contains("Mathématiques"), "{text:?}");
    assert!(text.contains("Élève"), "{text:?}");
    assert!(text.contains("lea.martin"), "{text:?}");
}

#[test]
fn pdf_bombs_and_lies_are_refused_quickly() {
    let limits = ExtractLimits {
        max_unpacked_bytes: 1 << 20,
        ..ExtractLimits::default()
    };
    // A page whose content stream unpacks to 200 MiB (zlib of spaces, built without
    // compressing 200 MiB: see `space_bomb`).
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&vec![b' '; 1 << 20]).unwrap();
    encoder.flush().unwrap();
    let piece = encoder.get_ref().clone();
    let mut stream = piece.clone();
    // Later pieces without the two-byte zlib header.
    for _ in 1..200 {
        stream.extend_from_slice(&piece[2..]);
    }
    let mut pdf = Pdf::new();
    pdf.catalog(Ref::new(1)).pages(Ref::new(2));
    pdf.pages(Ref::new(2)).kids([Ref::new(3)]).count(1);
    pdf.page(Ref::new(3))
        .parent(Ref::new(2))
        .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .contents(Ref::new(4));
    pdf.stream(Ref::new(4), &stream).filter(Filter::FlateDecode);
    let bomb = file("bomb.pdf", &pdf.finish());
    assert_eq!(
        extract_file(&bomb.path, Format::Pdf, &limits),
        Err(ExtractError::TooLarge)
    );

    // Sizes that lie: a stream declaring 2 GB, a cross-reference table declaring four
    // billion objects, in a file of a few hundred bytes. Whatever the outcome, it is quick
    // and allocates nothing near the declared sizes (the test would run out of memory).
    let liar = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n\
3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n\
4 0 obj\n<< /Length 2000000000 >>\nstream\nBT (hello) Tj ET\nendstream\nendobj\n\
xref\n0 4000000000\n0000000000 65535 f \n\
trailer\n<< /Size 4000000000 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";
    let liar = file("liar.pdf", liar);
    let outcome = extract_file(&liar.path, Format::Pdf, &limits);
    assert!(
        matches!(outcome, Ok(_) | Err(ExtractError::Malformed(_))),
        "{outcome:?}"
    );

    assert!(matches!(
        extract("x.pdf", b"%PDF-1.7 nothing else", Format::Pdf),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn format_detection() {
    use Format::*;
    let pdf = b"%PDF-1.7\n%\xe2\xe3";
    let zip = b"PK\x03\x04\x14\x00\x00\x00";
    let odt = odt_bytes();
    let docx = docx_bytes();
    let cases: &[(&str, &str, &[u8], Option<Format>)] = &[
        // Magic bytes first.
        ("devoir.txt", "text/plain", pdf, Some(Pdf)),
        ("sans-nom", "", b"\n\n%PDF-1.4", Some(Pdf)),
        (
            "notes.txt",
            "",
            b"L'en-t\xc3\xaate %PDF-1.7 d'un PDF",
            Some(Text),
        ),
        ("sans-nom", "application/pdf", b"\n\n%PDF-1.4", Some(Pdf)),
        ("sans-nom", "", &odt[..128], Some(Odt)),
        ("devoir.zip", "application/zip", &odt[..128], Some(Odt)),
        ("devoir.docx", "", &docx[..128], Some(Docx)),
        ("Devoir.DOCX", "application/octet-stream", zip, Some(Docx)),
        ("devoir", DOCX_TYPE, zip, Some(Docx)),
        ("devoir.odt", "", zip, Some(Odt)),
        ("archive.zip", "application/zip", zip, None),
        ("tableur.xlsx", "", zip, None),
        // Then the name, then the content type.
        ("notes.md", "text/plain", b"# Titre", Some(Markdown)),
        ("notes.txt", "", b"du texte", Some(Text)),
        ("page.HTM", "", b"<p>x</p>", Some(Html)),
        (
            "sans-nom",
            "text/html; charset=utf-8",
            b"<p>x</p>",
            Some(Html),
        ),
        ("sans-nom", "text/markdown", b"x", Some(Markdown)),
        ("sans-nom", "TEXT/PLAIN", b"x", Some(Text)),
        ("sans-nom", "application/pdf", b"", Some(Pdf)),
        ("devoir.pdf", "", b"", Some(Pdf)),
        ("devoir.docx", "", b"", Some(Docx)),
        // Mislabelled or unsupported.
        ("devoir.pdf", "application/pdf", b"<html>", None),
        ("devoir.docx", "", b"plain text", None),
        (
            "photo.txt",
            "text/plain",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            None,
        ),
        ("utf16.txt", "", b"\xff\xfeA\0", Some(Text)),
        ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0", None),
        ("sans-nom", "", b"", None),
    ];
    for (name, content_type, bytes, expected) in cases {
        assert_eq!(
            Format::detect(name, content_type, bytes),
            *expected,
            "{name} {content_type} {bytes:?}"
        );
    }
    for format in Format::ALL {
        assert_eq!(Format::from_name(format.name()), Some(format));
    }
}
