//! Message bodies: typed as plain text with a small Markdown subset (paragraphs, **bold**,
//! *italics*, lists, links), rendered to HTML by pulldown-cmark and then sanitised by ammonia
//! (an allow-list of tags; links only `http`, `https` and `mailto`, opened with
//! `rel="noopener noreferrer"`). Raw HTML typed in a message is shown as text, never
//! interpreted.

use pulldown_cmark::{Event, Options, Parser, html};

/// The longest body accepted, in characters.
pub const MAX_BODY: usize = 50_000;

/// The safe HTML of a body.
pub fn render(body: &str) -> String {
    let parser = Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        // Typed HTML stays text: escaped by the renderer like any text.
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .tags(
            [
                "p",
                "br",
                "strong",
                "em",
                "del",
                "ul",
                "ol",
                "li",
                "a",
                "blockquote",
                "code",
                "pre",
                "h1",
                "h2",
                "h3",
                "h4",
                "hr",
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

/// The plain text of a body (for previews and mails): the typed text, trimmed.
pub fn excerpt(body: &str, max_chars: usize) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        flat
    } else {
        let mut cut: String = flat.chars().take(max_chars).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_html_never_interpreted() {
        let html = render("Bonjour **Léa**,\n\n- un\n- deux\n\n<script>alert(1)</script>");
        assert!(html.contains("<strong>Léa</strong>"));
        assert!(html.contains("<li>un</li>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn only_safe_links_survive() {
        let html = render("[a](javascript:alert(1)) [b](https://exemple.fr) <img src=x onerror=y>");
        assert!(!html.contains("javascript:"));
        assert!(html.contains("href=\"https://exemple.fr\""));
        assert!(html.contains("noopener"));
        assert!(!html.contains("<img"));
    }

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("  a\n b  ", 10), "a b");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
