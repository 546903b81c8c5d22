//! The embedded fonts: DejaVu Sans, Sans Bold and Sans Mono Bold, compiled in (`assets/fonts/`),
//! and the subset of each that a document uses: glyphs are numbered in order of first use, and
//! that number is the CID the page content shows, the glyph id in the subset font file and the
//! index in the `/W` widths array.

use std::collections::HashMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::Face;

use super::{PdfError, deflate};

/// The three embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontId {
    /// DejaVu Sans.
    Regular = 0,
    /// DejaVu Sans Bold.
    Bold = 1,
    /// DejaVu Sans Mono Bold (codes and logins).
    Mono = 2,
}

impl FontId {
    /// Every font, in resource order.
    pub const ALL: [FontId; 3] = [FontId::Regular, FontId::Bold, FontId::Mono];

    /// The name of the font in each page's resources.
    pub fn resource(self) -> &'static [u8] {
        match self {
            FontId::Regular => b"F1",
            FontId::Bold => b"F2",
            FontId::Mono => b"F3",
        }
    }
}

/// A compiled-in font file and what the PDF font descriptor says of it.
struct FontSpec {
    file: &'static str,
    data: &'static [u8],
    /// Subset tag + PostScript name, as PDF wants for a subset font.
    base_name: &'static str,
    /// Vertical stem width (the descriptor requires one; readers use it only for substitution).
    stem_v: f32,
    mono: bool,
}

static SPECS: [FontSpec; 3] = [
    FontSpec {
        file: "DejaVuSans.ttf",
        data: include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSans.ttf"
        )),
        base_name: "CRTBLA+DejaVuSans",
        stem_v: 80.0,
        mono: false,
    },
    FontSpec {
        file: "DejaVuSans-Bold.ttf",
        data: include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSans-Bold.ttf"
        )),
        base_name: "CRTBLB+DejaVuSans-Bold",
        stem_v: 150.0,
        mono: false,
    },
    FontSpec {
        file: "DejaVuSansMono-Bold.ttf",
        data: include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSansMono-Bold.ttf"
        )),
        base_name: "CRTBLC+DejaVuSansMono-Bold",
        stem_v: 150.0,
        mono: true,
    },
];

/// A glyph of the subset: its CID (= its glyph id in the subset font) and its advance in
/// thousandths of the font size.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    /// The glyph id in the embedded subset.
    pub cid: u16,
    /// Its advance width, in thousandths of the font size.
    pub advance: f32,
}

/// One font as the document uses it: the glyphs taken so far (in subset order), their widths
/// and the characters they stand for (the `/ToUnicode` map, so that text can be copied and
/// searched).
pub struct EmbeddedFont {
    spec: &'static FontSpec,
    face: Face<'static>,
    /// Font units → thousandths of an em.
    scale: f32,
    remapper: GlyphRemapper,
    cache: HashMap<char, Option<Glyph>>,
    /// Width of each CID, in thousandths of an em; index 0 is `.notdef`.
    widths: Vec<f32>,
    unicode: Vec<(u16, char)>,
}

impl EmbeddedFont {
    fn load(spec: &'static FontSpec) -> Result<Self, PdfError> {
        let face = Face::parse(spec.data, 0).map_err(|e| PdfError::Font {
            font: spec.file,
            reason: e.to_string(),
        })?;
        let scale = 1000.0 / f32::from(face.units_per_em().max(1));
        let notdef = f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0)) * scale;
        Ok(EmbeddedFont {
            spec,
            face,
            scale,
            remapper: GlyphRemapper::new(),
            cache: HashMap::new(),
            widths: vec![notdef],
            unicode: Vec::new(),
        })
    }

    /// The glyph for `c`, taken into the subset on first use; `None` if the font lacks it.
    pub fn glyph(&mut self, c: char) -> Option<Glyph> {
        if let Some(known) = self.cache.get(&c) {
            return *known;
        }
        let glyph = self.face.glyph_index(c).filter(|g| g.0 != 0).map(|gid| {
            let cid = self.remapper.remap(gid.0);
            let advance = f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * self.scale;
            if usize::from(cid) == self.widths.len() {
                self.widths.push(advance);
                self.unicode.push((cid, c));
            }
            Glyph { cid, advance }
        });
        self.cache.insert(c, glyph);
        glyph
    }

    fn units(&self, v: i16) -> f32 {
        f32::from(v) * self.scale
    }

    /// Writes the Type 0 font, its CID font, descriptor, subset font file and `/ToUnicode`.
    pub fn write(&self, pdf: &mut Pdf, refs: &FontRefs) -> Result<(), PdfError> {
        let subset =
            subsetter::subset(self.spec.data, 0, &self.remapper).map_err(|e| PdfError::Font {
                font: self.spec.file,
                reason: e.to_string(),
            })?;
        let base = Name(self.spec.base_name.as_bytes());
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(refs.type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(refs.cid)
            .to_unicode(refs.to_unicode);

        let mut cid = pdf.cid_font(refs.cid);
        cid.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(system)
            .font_descriptor(refs.descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, self.widths.iter().copied());
        cid.finish();

        let bbox = self.face.global_bounding_box();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if self.spec.mono {
            flags |= FontFlags::FIXED_PITCH;
        }
        let cap_height = self.face.capital_height().unwrap_or(self.face.ascender());
        pdf.font_descriptor(refs.descriptor)
            .name(base)
            .flags(flags)
            .bbox(Rect::new(
                self.units(bbox.x_min),
                self.units(bbox.y_min),
                self.units(bbox.x_max),
                self.units(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(self.units(self.face.ascender()))
            .descent(self.units(self.face.descender()))
            .cap_height(self.units(cap_height))
            .stem_v(self.spec.stem_v)
            .font_file2(refs.file);

        let length = i32::try_from(subset.len()).unwrap_or(i32::MAX);
        pdf.stream(refs.file, &deflate(&subset))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), length);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
        for &(cid, c) in &self.unicode {
            cmap.pair(cid, c);
        }
        let cmap = cmap.finish();
        pdf.cmap(refs.to_unicode, &cmap)
            .name(Name(b"Custom"))
            .system_info(system);
        Ok(())
    }
}

/// The objects of one embedded font.
pub struct FontRefs {
    /// The Type 0 font, the one the pages name.
    pub type0: Ref,
    cid: Ref,
    descriptor: Ref,
    file: Ref,
    to_unicode: Ref,
}

impl FontRefs {
    /// Reserves the objects of one font.
    pub fn alloc(alloc: &mut impl FnMut() -> Ref) -> Self {
        FontRefs {
            type0: alloc(),
            cid: alloc(),
            descriptor: alloc(),
            file: alloc(),
            to_unicode: alloc(),
        }
    }
}

/// The document's three fonts.
pub struct Fonts {
    /// The three fonts, indexed by [`FontId`].
    pub fonts: [EmbeddedFont; 3],
}

impl Fonts {
    /// Parses the compiled-in fonts.
    pub fn load() -> Result<Self, PdfError> {
        let [regular, bold, mono] = &SPECS;
        Ok(Fonts {
            fonts: [
                EmbeddedFont::load(regular)?,
                EmbeddedFont::load(bold)?,
                EmbeddedFont::load(mono)?,
            ],
        })
    }

    /// One of the fonts.
    pub fn font(&mut self, id: FontId) -> &mut EmbeddedFont {
        &mut self.fonts[id as usize]
    }

    /// The glyphs for `text`. Characters the font lacks are transliterated (`deunicode`: "李" →
    /// "Li") or become "?", control characters are dropped: a name from an import never breaks
    /// the letter.
    pub fn shape(&mut self, id: FontId, text: &str) -> Vec<Glyph> {
        let font = self.font(id);
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c.is_control() {
                continue;
            }
            if let Some(g) = font.glyph(c) {
                glyphs.push(g);
                continue;
            }
            let fallback = deunicode::deunicode_char(c).unwrap_or("?");
            for f in fallback.chars() {
                if let Some(g) = font.glyph(f).or_else(|| font.glyph('?')) {
                    glyphs.push(g);
                }
            }
        }
        // deunicode ends syllables with a space ("李明" → "Li Ming "): keep it only between them.
        let space = font.glyph(' ').map(|g| g.cid);
        while space.is_some() && glyphs.last().map(|g| g.cid) == space {
            glyphs.pop();
        }
        glyphs
    }

    /// Advance of a space, in thousandths of the font size.
    pub fn space(&mut self, id: FontId) -> Option<Glyph> {
        self.font(id).glyph(' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyphs_are_transliterated() {
        let mut fonts = Fonts::load().unwrap();
        let glyphs = fonts.shape(FontId::Regular, "李\u{7}");
        let latin = fonts.shape(FontId::Regular, "Li");
        assert_eq!(
            glyphs.iter().map(|g| g.cid).collect::<Vec<_>>(),
            latin.iter().map(|g| g.cid).collect::<Vec<_>>()
        );
    }
}
