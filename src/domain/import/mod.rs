//! Importing people and classes from outside: the académie's AAF export (`aaf`) and the
//! spreadsheet files (`csv`) that an admin fills in by hand. Parsers here are pure; the store is
//! only written by the code applying them.

pub mod aaf;
pub mod aaf_apply;
pub mod csv;
pub mod csv_apply;
