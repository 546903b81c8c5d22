//! Reading typed values out of one request's attributes: single values, lists, dates, `O`/`N`
//! flags and the `$`-separated composites. Attribute names compare without case, as in LDAP.

use jiff::civil::Date;

use super::AafError;
use super::xml::RawAttr;

/// The attributes of one request, for typed reading. "Absent" (`None`) and "present but
/// empty" (`Some(None)`, `Some(vec![])`) stay distinct, so that a modification can clear a
/// value.
pub(super) struct Fields<'a> {
    file: &'a str,
    id: &'a str,
    attrs: &'a [RawAttr],
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a str, id: &'a str, attrs: &'a [RawAttr]) -> Self {
        Fields { file, id, attrs }
    }

    /// The non-empty values of every attribute called `name`, or `None` if there is none.
    pub fn values(&self, name: &str) -> Option<Vec<&'a str>> {
        let mut found = false;
        let mut values = Vec::new();
        for attr in self
            .attrs
            .iter()
            .filter(|a| a.name.eq_ignore_ascii_case(name))
        {
            found = true;
            values.extend(
                attr.values
                    .iter()
                    .map(String::as_str)
                    .filter(|v| !v.is_empty()),
            );
        }
        found.then_some(values)
    }

    /// A single-valued attribute: its first non-empty value.
    pub fn text(&self, name: &str) -> Option<Option<String>> {
        self.values(name)
            .map(|values| values.first().map(|v| (*v).to_owned()))
    }

    /// The first of `names` that is present.
    pub fn text_of(&self, names: &[&str]) -> Option<Option<String>> {
        let mut first = None;
        for name in names {
            match self.text(name) {
                Some(Some(value)) => return Some(Some(value)),
                Some(None) => first = first.or(Some(None)),
                None => {}
            }
        }
        first
    }

    /// A single value that may not be empty when present (a name).
    pub fn non_empty(&self, name: &str) -> Result<Option<String>, AafError> {
        match self.text(name) {
            None => Ok(None),
            Some(Some(value)) => Ok(Some(value)),
            Some(None) => Err(self.error(name, "valeur vide".to_owned())),
        }
    }

    /// A multi-valued attribute.
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        self.values(name)
            .map(|values| values.into_iter().map(str::to_owned).collect())
    }

    /// A multi-valued attribute, each value read by `parse`.
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<Vec<T>>, AafError> {
        let Some(values) = self.values(name) else {
            return Ok(None);
        };
        values
            .into_iter()
            .map(|v| parse(v).map_err(|message| self.error(name, message)))
            .collect::<Result<Vec<T>, AafError>>()
            .map(Some)
    }

    /// A `JJ/MM/AAAA` date.
    pub fn date(&self, name: &str) -> Result<Option<Option<Date>>, AafError> {
        match self.text(name) {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(value)) => parse_date(&value)
                .map(|d| Some(Some(d)))
                .map_err(|message| self.error(name, message)),
        }
    }

    /// An `O`/`N` flag; empty means `N`.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, AafError> {
        match self.text(name) {
            None => Ok(None),
            Some(None) => Ok(Some(false)),
            Some(Some(value)) => match value.to_ascii_uppercase().as_str() {
                "O" | "OUI" | "Y" | "YES" | "1" | "TRUE" => Ok(Some(true)),
                "N" | "NON" | "NO" | "0" | "FALSE" => Ok(Some(false)),
                _ => Err(self.error(name, format!("« {value} » au lieu de O ou N"))),
            },
        }
    }

    /// An attribute an added record must have.
    pub fn required<T>(&self, value: Option<T>, name: &str) -> Result<T, AafError> {
        value.ok_or_else(|| self.error(name, "attribut obligatoire absent".to_owned()))
    }

    /// An error about `attribute` of this record.
    pub fn error(&self, attribute: &str, message: String) -> AafError {
        AafError::Invalid {
            file: self.file.to_owned(),
            record: Some(self.id.to_owned()),
            attribute: Some(attribute.to_owned()),
            message,
        }
    }
}

/// `JJ/MM/AAAA` (one-digit day and month accepted).
pub(super) fn parse_date(value: &str) -> Result<Date, String> {
    let bad = || format!("date « {value} » invalide (JJ/MM/AAAA attendu)");
    let mut parts = value.split('/');
    let (Some(day), Some(month), Some(year), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(day, 2) || !digits(month, 2) || year.len() != 4 || !digits(year, 4) {
        return Err(bad());
    }
    let (Ok(day), Ok(month), Ok(year)) = (day.parse(), month.parse(), year.parse()) else {
        return Err(bad());
    };
    Date::new(year, month, day).map_err(|_| bad())
}

/// The `$`-separated fields of a composite value, trimmed, with at least `min` leading
/// non-empty fields.
pub(super) fn dollar_fields<'v>(
    value: &'v str,
    min: usize,
    format: &str,
) -> Result<Vec<&'v str>, String> {
    let fields: Vec<&str> = value.split('$').map(str::trim).collect();
    if fields.len() < min || fields.iter().take(min).any(|f| f.is_empty()) {
        return Err(format!("« {value} » ne suit pas le format {format}"));
    }
    Ok(fields)
}

/// `Some(field)` unless empty or missing.
pub(super) fn optional(fields: &[&str], index: usize) -> Option<String> {
    fields
        .get(index)
        .filter(|f| !f.is_empty())
        .map(|f| (*f).to_owned())
}
