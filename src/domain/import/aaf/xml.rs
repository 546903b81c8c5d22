//! The safe, streaming reading of a `ficAlimMENESR` document into raw requests (operation,
//! identifier, attributes with their values), before any typing.
//!
//! Safety (fixtures README, rule 4):
//! - the encoding comes from the XML declaration and is applied by quick-xml's
//!   `DecodingReader`, chosen before the first byte is decoded;
//! - the DOCTYPE is reported by quick-xml as one event and never resolved: an external id
//!   (`SYSTEM "ficAlimMENESR.dtd"`) is accepted and ignored, an internal subset `[…]` or an
//!   `<!ENTITY` is refused before the root element, so before any record;
//! - entity references are never expanded: quick-xml reports each one, and only the five
//!   predefined entities and character references are accepted;
//! - memory stays small: the input is read through a counter that refuses more than
//!   [`MAX_EVENT_BYTES`] for one XML event, and a value is capped at [`MAX_VALUE_BYTES`].

use std::cell::Cell;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::rc::Rc;

use encoding_rs::Encoding;
use quick_xml::XmlVersion;
use quick_xml::encoding::DecodingReader;
use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesStart, Event};

use super::AafError;

/// The largest value (the text of one `<value>` or `<id>`) accepted, in bytes of UTF-8.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
/// The most input read for one XML event (a tag, a text run, a comment, the DOCTYPE), in
/// bytes, give or take the read-ahead buffers (about 16 KiB). Reading stops with an error
/// past it, so a hostile file cannot make the parser buffer an unbounded run of text.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;
/// Bytes read ahead to find the XML declaration's encoding.
const SNIFF_BYTES: u64 = 1024;
/// The root element of every AAF file.
const ROOT: &str = "ficAlimMENESR";

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `addRequest`: a new record (every record of a Complet file).
    Add,
    /// `modifyRequest`: some attributes replaced.
    Modify,
    /// `deleteRequest`: the record leaves.
    Delete,
}

/// One attribute of a request: `<attr name=…>` or `<modification name=… operation=…>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawAttr {
    pub name: String,
    /// `operation` of a `<modification>`, if given.
    pub operation: Option<String>,
    /// The values, trimmed; `<value/>` gives an empty string.
    pub values: Vec<String>,
}

/// One request, untyped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawRequest {
    pub operation: Operation,
    /// `<identifier><id>`, trimmed.
    pub id: Option<String>,
    /// `<operationalAttributes>` (`categoriePersonne`…).
    pub operational: Vec<RawAttr>,
    /// `<attributes>` of an add request.
    pub attributes: Vec<RawAttr>,
    /// `<modifications>` of a modify request.
    pub modifications: Vec<RawAttr>,
}

/// Counts the bytes read from the input since the last reset and fails past
/// [`MAX_EVENT_BYTES`]; the document resets it before each event.
struct Metered<R> {
    inner: R,
    used: Rc<Cell<usize>>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > MAX_EVENT_BYTES {
            return Err(io::Error::other("élément XML trop grand"));
        }
        Ok(n)
    }
}

type Input<R> = DecodingReader<BufReader<Metered<io::Chain<Cursor<Vec<u8>>, R>>>>;

/// A simplified event: what the request parser needs.
enum Item {
    /// An element opens, with its local name and attributes (entity references resolved).
    Open(String, Vec<(String, String)>),
    /// The current element closes.
    Close,
    /// A piece of text (a text run, a CDATA section or one resolved reference).
    Text(String),
    /// The end of the input.
    Eof,
}

/// A `ficAlimMENESR` document being read.
pub(super) struct Document<R: Read> {
    file: String,
    reader: quick_xml::Reader<Input<R>>,
    buf: Vec<u8>,
    used: Rc<Cell<usize>>,
    /// An empty element was reported as `Open`; its `Close` comes next.
    pending_close: bool,
    /// The request being read, for error messages.
    current_id: Option<String>,
}

impl<R: Read> Document<R> {
    /// Starts reading: finds the encoding in the XML declaration (UTF-8 when there is
    /// none). Reads at most [`SNIFF_BYTES`] bytes.
    pub fn open(file: &str, mut input: R) -> Result<Self, AafError> {
        let mut prefix = Vec::new();
        (&mut input)
            .take(SNIFF_BYTES)
            .read_to_end(&mut prefix)
            .map_err(|source| AafError::Io {
                path: PathBuf::from(file),
                source,
            })?;
        let encoding = sniff_encoding(&prefix).map_err(|label| AafError::Encoding {
            file: file.to_owned(),
            message: format!(
                "encodage « {label} » non pris en charge (UTF-8 ou ISO-8859-15 attendu)"
            ),
        })?;
        let used = Rc::new(Cell::new(0));
        let metered = Metered {
            inner: Cursor::new(prefix).chain(input),
            used: Rc::clone(&used),
        };
        let mut decoding = DecodingReader::new(BufReader::new(metered));
        // Before any read, so the decoder can still be changed (it cannot once its first
        // bytes are decoded).
        decoding.set_encoding(encoding);
        let mut reader = quick_xml::Reader::from_reader(decoding);
        reader.config_mut().expand_empty_elements = true;
        Ok(Document {
            file: file.to_owned(),
            reader,
            buf: Vec::new(),
            used,
            pending_close: false,
            current_id: None,
        })
    }

    /// Reads up to the root element's start tag, checking the DOCTYPE on the way.
    pub fn read_prolog(&mut self) -> Result<(), AafError> {
        loop {
            match self.next()? {
                Item::Open(name, _) if name == ROOT => return Ok(()),
                Item::Open(name, _) => {
                    return Err(self.invalid(
                        None,
                        format!("élément racine <{name}> inattendu (<{ROOT}> attendu)"),
                    ));
                }
                Item::Text(t) if t.trim().is_empty() => {}
                Item::Text(_) | Item::Close => {
                    return Err(self.invalid(None, format!("contenu inattendu avant <{ROOT}>")));
                }
                Item::Eof => {
                    return Err(self.invalid(None, format!("élément <{ROOT}> absent")));
                }
            }
        }
    }

    /// The next request, or `None` after the root element's end. Elements other than
    /// the three requests are skipped.
    pub fn next_request(&mut self) -> Result<Option<RawRequest>, AafError> {
        loop {
            match self.next()? {
                Item::Open(name, _) => {
                    let operation = match name.as_str() {
                        "addRequest" => Operation::Add,
                        "modifyRequest" => Operation::Modify,
                        "deleteRequest" => Operation::Delete,
                        _ => {
                            self.skip()?;
                            continue;
                        }
                    };
                    self.current_id = None;
                    let request = self.request(operation)?;
                    self.current_id = None;
                    return Ok(Some(request));
                }
                Item::Text(_) => {}
                Item::Close => {
                    self.finish()?;
                    return Ok(None);
                }
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// After the root element: only blanks, comments and processing instructions.
    fn finish(&mut self) -> Result<(), AafError> {
        loop {
            match self.next()? {
                Item::Eof => return Ok(()),
                Item::Text(t) if t.trim().is_empty() => {}
                _ => return Err(self.invalid(None, format!("contenu inattendu après </{ROOT}>"))),
            }
        }
    }

    fn request(&mut self, operation: Operation) -> Result<RawRequest, AafError> {
        let mut request = RawRequest {
            operation,
            id: None,
            operational: Vec::new(),
            attributes: Vec::new(),
            modifications: Vec::new(),
        };
        loop {
            match self.next()? {
                Item::Open(name, _) => match name.as_str() {
                    "identifier" => self.identifier(&mut request)?,
                    "operationalAttributes" => {
                        let list = self.attr_list("attr")?;
                        request.operational.extend(list);
                    }
                    "attributes" => {
                        let list = self.attr_list("attr")?;
                        request.attributes.extend(list);
                    }
                    "modifications" => {
                        let list = self.attr_list("modification")?;
                        request.modifications.extend(list);
                    }
                    _ => self.skip()?,
                },
                Item::Text(_) => {}
                Item::Close => return Ok(request),
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// `<identifier><id>…</id></identifier>`: the first non-empty `<id>`.
    fn identifier(&mut self, request: &mut RawRequest) -> Result<(), AafError> {
        loop {
            match self.next()? {
                Item::Open(name, _) if name == "id" => {
                    let id = self.text(None)?;
                    if request.id.is_none() && !id.is_empty() {
                        self.current_id = Some(id.clone());
                        request.id = Some(id);
                    }
                }
                Item::Open(..) => self.skip()?,
                Item::Text(_) => {}
                Item::Close => return Ok(()),
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// The `<attr>` or `<modification>` children of the current element.
    fn attr_list(&mut self, child: &str) -> Result<Vec<RawAttr>, AafError> {
        let mut list = Vec::new();
        loop {
            match self.next()? {
                Item::Open(name, attributes) if name == child => {
                    let find = |key: &str| {
                        attributes
                            .iter()
                            .find(|(k, _)| k == key)
                            .map(|(_, v)| v.trim().to_owned())
                    };
                    let Some(attr_name) = find("name").filter(|n| !n.is_empty()) else {
                        return Err(self.invalid(None, format!("élément <{child}> sans « name »")));
                    };
                    let operation = find("operation").filter(|o| !o.is_empty());
                    let values = self.values(&attr_name)?;
                    list.push(RawAttr {
                        name: attr_name,
                        operation,
                        values,
                    });
                }
                Item::Open(..) => self.skip()?,
                Item::Text(_) => {}
                Item::Close => return Ok(list),
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// The `<value>` children of an `<attr>` or `<modification>`.
    fn values(&mut self, attribute: &str) -> Result<Vec<String>, AafError> {
        let mut values = Vec::new();
        loop {
            match self.next()? {
                Item::Open(name, _) if name == "value" => values.push(self.text(Some(attribute))?),
                Item::Open(..) => self.skip()?,
                Item::Text(_) => {}
                Item::Close => return Ok(values),
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// The text of the current element, trimmed, up to its end; nested elements are
    /// skipped.
    fn text(&mut self, attribute: Option<&str>) -> Result<String, AafError> {
        let mut text = String::new();
        loop {
            match self.next()? {
                Item::Text(piece) => {
                    if text.len() + piece.len() > MAX_VALUE_BYTES {
                        return Err(AafError::TooLarge {
                            file: self.file.clone(),
                            record: self.current_id.clone(),
                            attribute: attribute.map(str::to_owned),
                            what: "une valeur",
                            limit: MAX_VALUE_BYTES,
                        });
                    }
                    text.push_str(&piece);
                }
                Item::Open(..) => self.skip()?,
                Item::Close => return Ok(text.trim().to_owned()),
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// Skips the element just opened, up to and including its end.
    fn skip(&mut self) -> Result<(), AafError> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Item::Open(..) => depth += 1,
                Item::Close => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Item::Text(_) => {}
                Item::Eof => return Err(self.unexpected_eof()),
            }
        }
    }

    /// The next event that matters, with every security check.
    fn next(&mut self) -> Result<Item, AafError> {
        if self.pending_close {
            self.pending_close = false;
            return Ok(Item::Close);
        }
        loop {
            self.buf.clear();
            self.used.set(0);
            let step = classify(self.reader.read_event_into(&mut self.buf));
            match step {
                Ok(Step::Item(item)) => return Ok(item),
                Ok(Step::EmptyElement(name, attributes)) => {
                    self.pending_close = true;
                    return Ok(Item::Open(name, attributes));
                }
                Ok(Step::Ignore) => {}
                Err(Failure::Xml(e)) => return Err(self.xml_error(e)),
                Err(Failure::Forbidden(reason)) => return Err(self.forbidden(reason)),
                Err(Failure::Invalid(message)) => return Err(self.invalid(None, message)),
            }
        }
    }

    fn xml_error(&self, error: quick_xml::Error) -> AafError {
        match error {
            quick_xml::Error::Io(_) if self.used.get() > MAX_EVENT_BYTES => AafError::TooLarge {
                file: self.file.clone(),
                record: self.current_id.clone(),
                attribute: None,
                what: "un élément XML",
                limit: MAX_EVENT_BYTES,
            },
            quick_xml::Error::Io(source) => AafError::Io {
                path: PathBuf::from(&self.file),
                source: io::Error::new(source.kind(), source.to_string()),
            },
            quick_xml::Error::Encoding(_) => AafError::Encoding {
                file: self.file.clone(),
                message: format!(
                    "octets invalides pour l'encodage déclaré ({}) vers l'octet {}",
                    self.reader.get_ref().encoding().name(),
                    self.reader.buffer_position()
                ),
            },
            quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
                self.forbidden(not_predefined(&name))
            }
            other => AafError::Xml {
                file: self.file.clone(),
                position: self.reader.error_position(),
                message: other.to_string(),
            },
        }
    }

    fn forbidden(&self, reason: String) -> AafError {
        AafError::Forbidden {
            file: self.file.clone(),
            reason,
        }
    }

    fn invalid(&self, attribute: Option<&str>, message: String) -> AafError {
        AafError::Invalid {
            file: self.file.clone(),
            record: self.current_id.clone(),
            attribute: attribute.map(str::to_owned),
            message,
        }
    }

    fn unexpected_eof(&self) -> AafError {
        AafError::Xml {
            file: self.file.clone(),
            position: self.reader.buffer_position(),
            message: "fin de fichier avant la fin des éléments ouverts".to_owned(),
        }
    }
}

/// What one quick-xml event means here, owned so that the reader's buffer is free again.
enum Step {
    Item(Item),
    /// `<x/>`: an `Open` now, a `Close` next.
    EmptyElement(String, Vec<(String, String)>),
    /// Declaration, comment, processing instruction, accepted DOCTYPE.
    Ignore,
}

/// Why an event is refused, before the file name is attached.
enum Failure {
    Xml(quick_xml::Error),
    Forbidden(String),
    Invalid(String),
}

fn classify(event: quick_xml::Result<Event<'_>>) -> Result<Step, Failure> {
    Ok(Step::Item(match event.map_err(Failure::Xml)? {
        Event::Start(start) => {
            let (name, attributes) = read_start(&start)?;
            Item::Open(name, attributes)
        }
        Event::Empty(start) => {
            let (name, attributes) = read_start(&start)?;
            return Ok(Step::EmptyElement(name, attributes));
        }
        Event::End(_) => Item::Close,
        Event::Text(text) => Item::Text(text.xml10_content().into_owned()),
        Event::CData(cdata) => Item::Text(cdata.xml10_content().into_owned()),
        Event::GeneralRef(reference) => {
            let name: &str = &reference;
            if reference.is_char_ref() {
                match reference.resolve_char_ref() {
                    Ok(Some(c)) => Item::Text(c.to_string()),
                    _ => {
                        return Err(Failure::Invalid(format!(
                            "référence de caractère « &{name}; » invalide"
                        )));
                    }
                }
            } else if let Some(text) = predefined_entity(name) {
                Item::Text(text.to_owned())
            } else {
                return Err(Failure::Forbidden(not_predefined(name)));
            }
        }
        Event::DocType(doctype) => {
            check_doctype(&doctype).map_err(|reason| Failure::Forbidden(reason.to_owned()))?;
            return Ok(Step::Ignore);
        }
        Event::Decl(_) | Event::Comment(_) | Event::PI(_) => return Ok(Step::Ignore),
        Event::Eof => Item::Eof,
    }))
}

/// The local name and the attributes of a start tag. Attribute values get the predefined
/// entities and character references resolved; any other reference is refused.
fn read_start(start: &BytesStart<'_>) -> Result<(String, Vec<(String, String)>), Failure> {
    let name = start.local_name().as_ref().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| Failure::Xml(e.into()))?;
        let value = match attribute.normalized_value(XmlVersion::Implicit1_0) {
            Ok(value) => value.into_owned(),
            Err(quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name))) => {
                return Err(Failure::Forbidden(not_predefined(&name)));
            }
            Err(e) => return Err(Failure::Xml(e)),
        };
        let key = attribute.key.local_name().as_ref().to_owned();
        attributes.push((key, value));
    }
    Ok((name, attributes))
}

fn not_predefined(name: &str) -> String {
    format!("référence à l'entité « &{name}; », qui n'est pas une entité prédéfinie")
}

/// `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`.
fn predefined_entity(name: &str) -> Option<&'static str> {
    match name {
        "lt" => Some("<"),
        "gt" => Some(">"),
        "amp" => Some("&"),
        "apos" => Some("'"),
        "quot" => Some("\""),
        _ => None,
    }
}

/// Accepts `<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">` (the DTD is never read);
/// refuses an internal subset or an entity declaration.
fn check_doctype(content: &str) -> Result<(), &'static str> {
    if content.contains('[') || content.to_ascii_uppercase().contains("<!ENTITY") {
        return Err(
            "déclaration DTD interne ou d'entité interdite (sous-ensemble interne « […] » ou <!ENTITY> dans le DOCTYPE)",
        );
    }
    Ok(())
}

/// The encoding named by the XML declaration at the start of `prefix`: UTF-8 with a UTF-8
/// byte order mark or without declaration. `Err(label)` for an encoding that is unknown or
/// not ASCII-compatible (UTF-16), which the XML reader could not follow.
fn sniff_encoding(prefix: &[u8]) -> Result<&'static Encoding, String> {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(encoding_rs::UTF_8);
    }
    if prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]) {
        return Err("UTF-16".to_owned());
    }
    if !prefix.starts_with(b"<?xml") {
        return Ok(encoding_rs::UTF_8);
    }
    let Some(end) = prefix.windows(2).position(|w| w == b"?>") else {
        return Ok(encoding_rs::UTF_8);
    };
    let declaration = &prefix[..end];
    let Some(at) = declaration.windows(8).position(|w| w == b"encoding") else {
        return Ok(encoding_rs::UTF_8);
    };
    let rest = declaration[at + 8..].trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"=") else {
        return Ok(encoding_rs::UTF_8);
    };
    let rest = rest.trim_ascii_start();
    let Some((&quote, rest)) = rest.split_first() else {
        return Ok(encoding_rs::UTF_8);
    };
    if quote != b'"' && quote != b'\'' {
        return Ok(encoding_rs::UTF_8);
    }
    let label = rest.split(|&b| b == quote).next().unwrap_or_default();
    match Encoding::for_label(label) {
        Some(encoding) if encoding.is_ascii_compatible() => Ok(encoding),
        _ => Err(String::from_utf8_lossy(label).into_owned()),
    }
}
