//! Activation of accounts (issue 5 §4): one-time activation codes, credential letters, the
//! establishment's charter and its acceptance.

pub mod charter;
pub mod codes;
pub mod letter_pdf;
pub mod letters;
