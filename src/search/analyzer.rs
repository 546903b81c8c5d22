//! The French analyzer (`fr`) of the titles and bodies: words split on anything that is not a
//! letter or a digit, over-long tokens dropped, lower case, accents folded, then the Snowball
//! French stemmer. The same chain runs on the indexed text and on the words typed, so `eleve`
//! finds `élève` and `élèves`, and `mathematiques` finds `Mathématiques`.
//!
//! Folding comes before stemming: the stemmer then sees `eleves`, never `élèves`, whichever way
//! the word was typed, so both sides always agree.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// The name the analyzer is registered under in every index.
pub const FRENCH: &str = "fr";

/// Tokens longer than this (in bytes) are dropped: no word is, only base64 and the like.
const LONGEST_TOKEN: usize = 40;

/// The analyzer.
pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The terms `text` is indexed as (tests, and the snippets' own checks).
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = french();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn accents_case_and_plurals_meet() {
        assert_eq!(terms("élève"), terms("eleve"));
        assert_eq!(terms("Élèves"), terms("eleve"));
        assert_eq!(terms("Mathématiques"), terms("mathematiques"));
        assert_eq!(terms("MATHÉMATIQUE"), terms("mathematiques"));
        assert_eq!(terms("fractions"), terms("fraction"));
    }

    #[test]
    fn words_split_on_punctuation_and_long_tokens_go() {
        assert_eq!(terms("l’élève, l'école").len(), 4);
        assert_eq!(terms("fiche_fractions.pdf").len(), 3);
        assert!(terms(&"a".repeat(200)).is_empty());
    }
}
