//! Text layout on a page: spans of text in a font → words → lines, shrunk, wrapped or cut to
//! stay within their width and line count, and drawn from the top of the page down.

use pdf_writer::{Content, Name, Str};

use super::fonts::{FontId, Fonts, Glyph};

// ---------------------------------------------------------------------------------------------
// Page geometry (PDF points: 1/72 inch).

/// A4 width.
pub const PAGE_W: f32 = 595.276;
/// A4 height.
pub const PAGE_H: f32 = 841.89;
/// 20 mm on every side.
pub const MARGIN: f32 = 56.693;
/// Width between the margins.
pub const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Inner padding of the box holding the address, login and code.
pub const BOX_PAD: f32 = 14.0;
/// Indent of a numbered step's text after its number.
const STEP_INDENT: f32 = 20.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Text colour (grey level): near black.
const INK: f32 = 0.1;
/// Labels' colour: dark grey, still well contrasted on paper.
pub const LABEL: f32 = 0.3;

/// The page is laid out at 100 %, then smaller until it fits (only pathological inputs — names
/// of hundreds of characters in every field — ever need it).
pub const SCALES: [f32; 6] = [1.0, 0.92, 0.85, 0.78, 0.7, 0.6];

// ---------------------------------------------------------------------------------------------
// Text layout: spans → words → lines.

/// A piece of text in one font.
#[derive(Clone, Copy)]
pub struct Span<'a> {
    font: FontId,
    text: &'a str,
}

/// A run of text in one font.
pub fn span(font: FontId, text: &str) -> Span<'_> {
    Span { font, text }
}

/// Consecutive glyphs in one font, placed at `x` (points from the line's start).
#[derive(Clone)]
struct Run {
    font: FontId,
    x: f32,
    glyphs: Vec<Glyph>,
}

/// A piece of a word in one font (a word can change font: "de 5B" never breaks inside "5B").
struct Piece {
    font: FontId,
    glyphs: Vec<Glyph>,
}

/// What may not be broken, except by characters when it is wider than a whole line.
struct Word {
    pieces: Vec<Piece>,
}

impl Word {
    fn advance(&self) -> f32 {
        self.pieces
            .iter()
            .flat_map(|p| &p.glyphs)
            .map(|g| g.advance)
            .sum()
    }
}

/// One line of text at a given size.
#[derive(Clone, Default)]
struct Line {
    runs: Vec<Run>,
    /// In points.
    width: f32,
}

impl Line {
    fn push(&mut self, font: FontId, glyph: Glyph, size: f32) {
        match self.runs.last_mut() {
            Some(run) if run.font == font => run.glyphs.push(glyph),
            _ => self.runs.push(Run {
                font,
                x: self.width,
                glyphs: vec![glyph],
            }),
        }
        self.width += glyph.advance * size / 1000.0;
    }

    fn pop(&mut self, size: f32) {
        if let Some(run) = self.runs.last_mut() {
            if let Some(g) = run.glyphs.pop() {
                self.width -= g.advance * size / 1000.0;
            }
            if run.glyphs.is_empty() {
                self.runs.pop();
            }
        }
    }

    fn last_font(&self) -> Option<FontId> {
        self.runs.last().map(|r| r.font)
    }
}

/// Where a line may break: white space, except the no-break spaces that French puts before
/// « : ; ! ? ».
fn breaks(c: char) -> bool {
    c.is_whitespace() && c != NBSP && c != NNBSP
}

/// No-break space, before ":".
const NBSP: char = '\u{a0}';
/// Narrow no-break space, before "!" and "?".
const NNBSP: char = '\u{202f}';

/// Splits spans into words at white space.
fn words(fonts: &mut Fonts, spans: &[Span]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    // Whether white space separates what comes next from the previous word.
    let mut space = true;
    for s in spans {
        for (i, part) in s.text.split(breaks).enumerate() {
            if i > 0 {
                space = true;
            }
            if part.is_empty() {
                continue;
            }
            let piece = Piece {
                font: s.font,
                glyphs: fonts.shape(s.font, part),
            };
            match words.last_mut() {
                Some(word) if !space => word.pieces.push(piece),
                _ => words.push(Word {
                    pieces: vec![piece],
                }),
            }
            space = false;
        }
    }
    words
}

/// Greedy line breaking at `size` points within `width` points.
fn wrap(fonts: &mut Fonts, words: &[Word], size: f32, width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    for word in words {
        let word_w = word.advance() * size / 1000.0;
        let space = line
            .last_font()
            .and_then(|f| fonts.space(f).map(|g| (f, g)));
        let space_w = space.map_or(0.0, |(_, g)| g.advance * size / 1000.0);
        if !line.runs.is_empty() && line.width + space_w + word_w > width {
            lines.push(std::mem::take(&mut line));
        } else if let Some((font, glyph)) = space {
            line.push(font, glyph, size);
        }
        // A word wider than the whole line is broken between characters.
        for piece in &word.pieces {
            for &glyph in &piece.glyphs {
                let w = glyph.advance * size / 1000.0;
                if !line.runs.is_empty() && line.width + w > width && word_w > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(piece.font, glyph, size);
            }
        }
    }
    if !line.runs.is_empty() {
        lines.push(line);
    }
    lines
}

/// How a block of text is set: its size, the smallest size it may shrink to before being cut,
/// how many lines it may take, its colour.
#[derive(Clone, Copy)]
pub struct Style {
    size: f32,
    min: f32,
    lines: usize,
    gray: f32,
}

/// A text style: its size, the smallest it may shrink to, and its most lines.
pub const fn style(size: f32, min: f32, lines: usize) -> Style {
    Style {
        size,
        min,
        lines,
        gray: INK,
    }
}

impl Style {
    /// The same style in a gray (0 black, 1 white).
    pub const fn gray(self, gray: f32) -> Style {
        Style { gray, ..self }
    }
}

/// Lines at the largest size (from `style.size` down to `style.min`) that needs at most
/// `style.lines` lines; at the smallest size, extra lines are cut and the last ends with "…".
fn fit(fonts: &mut Fonts, spans: &[Span], style: Style, width: f32) -> (f32, Vec<Line>) {
    let words = words(fonts, spans);
    let mut size = style.size;
    loop {
        let lines = wrap(fonts, &words, size, width);
        if lines.len() <= style.lines.max(1) {
            return (size, lines);
        }
        if size <= style.min {
            return (
                size,
                ellipsize(fonts, lines, style.lines.max(1), size, width),
            );
        }
        size = (size - 0.5).max(style.min);
    }
}

fn ellipsize(
    fonts: &mut Fonts,
    mut lines: Vec<Line>,
    keep: usize,
    size: f32,
    width: f32,
) -> Vec<Line> {
    lines.truncate(keep);
    if let Some(line) = lines.last_mut() {
        let font = line.last_font().unwrap_or(FontId::Regular);
        if let Some(dots) = fonts.font(font).glyph('…') {
            let dots_w = dots.advance * size / 1000.0;
            while !line.runs.is_empty() && line.width + dots_w > width {
                line.pop(size);
            }
            // No space before the ellipsis.
            let space = fonts.space(font).map(|g| g.cid);
            while line
                .runs
                .last()
                .and_then(|r| r.glyphs.last())
                .map(|g| g.cid)
                == space
                && space.is_some()
            {
                line.pop(size);
            }
            line.push(font, dots, size);
        }
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// The page.

/// A page being laid out from the top: `y` is the top of the next line.
pub struct PageWriter<'f> {
    fonts: &'f mut Fonts,
    /// Drawn first: the box's background and frame, rules.
    back: Content,
    /// The text, drawn over `back`.
    front: Content,
    /// Applied to every size and gap (see [`SCALES`]).
    scale: f32,
    /// Top of the next line, in points from the bottom of the page.
    pub y: f32,
    /// Lowest point drawn, to check that the page fits.
    min_y: f32,
    /// Rightmost point drawn, likewise.
    max_x: f32,
}

impl<'f> PageWriter<'f> {
    /// A page written at `scale` (1 for full size).
    pub fn new(fonts: &'f mut Fonts, scale: f32) -> Self {
        PageWriter {
            fonts,
            back: Content::new(),
            front: Content::new(),
            scale,
            y: PAGE_H - MARGIN,
            min_y: PAGE_H - MARGIN,
            max_x: MARGIN,
        }
    }

    /// Leaves `points` of vertical space.
    pub fn gap(&mut self, points: f32) {
        self.y -= points * self.scale;
    }

    /// Sets `spans` at `x` within `width`; returns the first line's baseline and size.
    pub fn block(
        &mut self,
        spans: &[Span],
        style: Style,
        x: f32,
        width: f32,
    ) -> Option<(f32, f32)> {
        let scaled = Style {
            size: style.size * self.scale,
            min: style.min * self.scale,
            ..style
        };
        let (size, lines) = fit(self.fonts, spans, scaled, width);
        let mut first = None;
        for line in &lines {
            let baseline = self.y - size;
            first.get_or_insert((baseline, size));
            self.line(line, x, baseline, size, style.gray);
            self.y -= size * LEADING;
            self.min_y = self.min_y.min(self.y);
            self.max_x = self.max_x.max(x + line.width);
        }
        first
    }

    fn line(&mut self, line: &Line, x: f32, baseline: f32, size: f32, gray: f32) {
        let text = &mut self.front;
        text.set_fill_gray(gray);
        text.begin_text();
        for run in &line.runs {
            text.set_font(Name(run.font.resource()), size);
            text.set_text_matrix([1.0, 0.0, 0.0, 1.0, x + run.x, baseline]);
            let bytes: Vec<u8> = run
                .glyphs
                .iter()
                .flat_map(|g| g.cid.to_be_bytes())
                .collect();
            text.show(Str(&bytes));
        }
        text.end_text();
    }

    /// A full-width paragraph.
    pub fn para(&mut self, spans: &[Span], style: Style) {
        self.block(spans, style, MARGIN, TEXT_W);
    }

    /// A numbered step: the number in the margin of the text.
    pub fn step(&mut self, number: &str, text: &str, style: Style) {
        let indent = STEP_INDENT * self.scale;
        if let Some((baseline, size)) = self.block(
            &[span(FontId::Regular, text)],
            style,
            MARGIN + indent,
            TEXT_W - indent,
        ) {
            let line = {
                let words = words(self.fonts, &[span(FontId::Bold, number)]);
                wrap(self.fonts, &words, size, indent)
            };
            for l in line.iter().take(1) {
                self.line(l, MARGIN, baseline, size, style.gray);
            }
        }
    }

    /// A thin horizontal rule across the text width.
    pub fn rule(&mut self) {
        let y = self.y;
        self.back
            .set_stroke_gray(0.6)
            .set_line_width(0.8)
            .move_to(MARGIN, y)
            .line_to(PAGE_W - MARGIN, y)
            .stroke();
    }

    /// A box around what was written between `top` and `bottom`.
    pub fn frame(&mut self, top: f32, bottom: f32) {
        self.back
            .set_fill_gray(0.95)
            .set_stroke_gray(0.35)
            .set_line_width(1.2)
            .rect(MARGIN, bottom, TEXT_W, top - bottom)
            .fill_nonzero_and_stroke();
        self.min_y = self.min_y.min(bottom);
    }

    /// Whether everything written so far fits on the page.
    pub fn fits(&self) -> bool {
        self.min_y >= MARGIN - 0.01 && self.max_x <= PAGE_W - MARGIN + 0.01
    }

    /// The page's content stream.
    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.back.finish().into_vec();
        bytes.push(b'\n');
        bytes.extend_from_slice(self.front.finish().as_slice());
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_break_and_short_ones_wrap_at_spaces() {
        let mut fonts = Fonts::load().unwrap();
        let w = words(
            &mut fonts,
            &[span(FontId::Regular, "aaa bbb"), span(FontId::Bold, "ccc")],
        );
        assert_eq!(w.len(), 2, "no space between the spans: one word");
        let long = words(&mut fonts, &[span(FontId::Mono, &"W".repeat(50))]);
        let lines = wrap(&mut fonts, &long, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.0 + 0.01));
    }
}
