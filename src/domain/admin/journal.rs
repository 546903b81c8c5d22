//! The audit log of one establishment, for its administrators: the events about its people
//! (their sign-ins, failures, sign-outs, password changes, and what administrators did to their
//! accounts), newest first, at most [`JOURNAL_LIMIT`] rows, filtered by person, action and dates
//! (Paris days).
//!
//! Without a person the log is read by time range from `audit_v1` (by default the last
//! [`DEFAULT_DAYS`] days), newest first and stopping once a page is full, keeping only the newest
//! [`JOURNAL_LIMIT`] matches in memory; with a person, from that person's index
//! (`person_audit_v1`), which also holds the administrators' actions on them.

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::AdminError;
use crate::domain::accounts::audit::{AuditAction, AuditEvent, AuditId, SignInFailure};
use crate::model::Actor;
use crate::model::directory::{EstablishmentId, PersonId};
use crate::store::Store;
use crate::store::tables::{AUDIT, ESTABLISHMENT_PEOPLE, LOGIN_TO_PERSON, PEOPLE, PERSON_AUDIT};

/// At most this many rows are shown.
pub const JOURNAL_LIMIT: usize = 200;

/// The kinds of events, for filtering and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionKind {
    /// A successful sign-in.
    SignIn,
    /// A refused sign-in.
    SignInFailed,
    /// A sign-out.
    SignOut,
    /// A session ended from "my sessions".
    SessionRevoked,
    /// A person changed their own password.
    PasswordChanged,
    /// An administrator disabled an account.
    AccountDisabled,
    /// An administrator re-enabled an account.
    AccountEnabled,
    /// An administrator reset a password.
    PasswordReset,
    /// An administrator printed a credential letter (a new activation code).
    ActivationCodeIssued,
    /// A person activated their account.
    AccountActivated,
    /// A person accepted a charter.
    CharterAccepted,
    /// An administrator changed the charter.
    CharterEdited,
    /// A password recovery mail was asked for.
    PasswordRecoveryRequested,
    /// A password was changed through a recovery link.
    PasswordRecovered,
    /// An administrator imported a spreadsheet file from the pages.
    DirectoryImported,
    /// An administrator changed the establishment's classes, groups, subjects, teachings or
    /// parent links.
    StructureChanged,
    /// An administrator created an account.
    AccountCreated,
    /// An administrator edited an account (identity or profiles).
    AccountEdited,
    /// The platform administrator created the establishment.
    EstablishmentCreated,
    /// The platform administrator named a local administrator.
    LocalAdminNamed,
    /// The platform administrator removed a local administrator.
    LocalAdminRemoved,
    /// An administrator changed the communication rules.
    CommunicationRulesEdited,
    /// A message was reported.
    MessageReported,
    /// An administrator reviewed a report.
    MessageReportReviewed,
    /// An administrator suspended an account's messaging.
    MessagingSuspended,
    /// An administrator restored an account's messaging.
    MessagingRestored,
    /// An administrator made a retrying or failed mail due now.
    MailRetried,
    /// An administrator cancelled a mail.
    MailCancelled,
}

impl ActionKind {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [ActionKind; 28] = [
        ActionKind::SignIn,
        ActionKind::SignInFailed,
        ActionKind::SignOut,
        ActionKind::SessionRevoked,
        ActionKind::PasswordChanged,
        ActionKind::AccountDisabled,
        ActionKind::AccountEnabled,
        ActionKind::PasswordReset,
        ActionKind::ActivationCodeIssued,
        ActionKind::AccountActivated,
        ActionKind::CharterAccepted,
        ActionKind::CharterEdited,
        ActionKind::PasswordRecoveryRequested,
        ActionKind::PasswordRecovered,
        ActionKind::DirectoryImported,
        ActionKind::StructureChanged,
        ActionKind::AccountCreated,
        ActionKind::AccountEdited,
        ActionKind::EstablishmentCreated,
        ActionKind::LocalAdminNamed,
        ActionKind::LocalAdminRemoved,
        ActionKind::CommunicationRulesEdited,
        ActionKind::MessageReported,
        ActionKind::MessageReportReviewed,
        ActionKind::MessagingSuspended,
        ActionKind::MessagingRestored,
        ActionKind::MailRetried,
        ActionKind::MailCancelled,
    ];

    /// The kind of a stored action.
    pub fn of(action: &AuditAction) -> ActionKind {
        match action {
            AuditAction::SignIn => ActionKind::SignIn,
            AuditAction::SignInFailed(_) => ActionKind::SignInFailed,
            AuditAction::SignOut => ActionKind::SignOut,
            AuditAction::SessionRevoked => ActionKind::SessionRevoked,
            AuditAction::PasswordChanged => ActionKind::PasswordChanged,
            AuditAction::AccountDisabled { .. } => ActionKind::AccountDisabled,
            AuditAction::AccountEnabled { .. } => ActionKind::AccountEnabled,
            AuditAction::PasswordReset { .. } => ActionKind::PasswordReset,
            AuditAction::ActivationCodeIssued { .. } => ActionKind::ActivationCodeIssued,
            AuditAction::AccountActivated => ActionKind::AccountActivated,
            AuditAction::CharterAccepted { .. } => ActionKind::CharterAccepted,
            AuditAction::CharterEdited { .. } => ActionKind::CharterEdited,
            AuditAction::PasswordRecoveryRequested => ActionKind::PasswordRecoveryRequested,
            AuditAction::PasswordRecovered => ActionKind::PasswordRecovered,
            AuditAction::DirectoryImported { .. } => ActionKind::DirectoryImported,
            AuditAction::StructureChanged { .. } => ActionKind::StructureChanged,
            AuditAction::AccountCreated { .. } => ActionKind::AccountCreated,
            AuditAction::AccountEdited { .. } => ActionKind::AccountEdited,
            AuditAction::EstablishmentCreated { .. } => ActionKind::EstablishmentCreated,
            AuditAction::LocalAdminNamed { .. } => ActionKind::LocalAdminNamed,
            AuditAction::LocalAdminRemoved { .. } => ActionKind::LocalAdminRemoved,
            AuditAction::CommunicationRulesEdited { .. } => ActionKind::CommunicationRulesEdited,
            AuditAction::MessageReported { .. } => ActionKind::MessageReported,
            AuditAction::MessageReportReviewed { .. } => ActionKind::MessageReportReviewed,
            AuditAction::MessagingSuspended { .. } => ActionKind::MessagingSuspended,
            AuditAction::MessagingRestored { .. } => ActionKind::MessagingRestored,
            AuditAction::MailRetried { .. } => ActionKind::MailRetried,
            AuditAction::MailCancelled { .. } => ActionKind::MailCancelled,
        }
    }

    /// The value in the filter's URL (`?action=`).
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::SignIn => "connexion",
            ActionKind::SignInFailed => "echec",
            ActionKind::SignOut => "deconnexion",
            ActionKind::SessionRevoked => "session-terminee",
            ActionKind::PasswordChanged => "mot-de-passe-change",
            ActionKind::AccountDisabled => "desactivation",
            ActionKind::AccountEnabled => "reactivation",
            ActionKind::PasswordReset => "reinitialisation",
            ActionKind::ActivationCodeIssued => "courrier",
            ActionKind::AccountActivated => "activation",
            ActionKind::CharterAccepted => "charte-acceptee",
            ActionKind::CharterEdited => "charte-modifiee",
            ActionKind::PasswordRecoveryRequested => "recuperation-demandee",
            ActionKind::PasswordRecovered => "recuperation",
            ActionKind::DirectoryImported => "import",
            ActionKind::StructureChanged => "structure",
            ActionKind::AccountCreated => "creation",
            ActionKind::AccountEdited => "modification",
            ActionKind::EstablishmentCreated => "etablissement",
            ActionKind::LocalAdminNamed => "admin-nomme",
            ActionKind::LocalAdminRemoved => "admin-retire",
            ActionKind::CommunicationRulesEdited => "regles-communication",
            ActionKind::MessageReported => "signalement",
            ActionKind::MessageReportReviewed => "signalement-examine",
            ActionKind::MessagingSuspended => "messagerie-suspendue",
            ActionKind::MessagingRestored => "messagerie-retablie",
            ActionKind::MailRetried => "courriel-reessaye",
            ActionKind::MailCancelled => "courriel-annule",
        }
    }

    /// The kind of a filter value.
    pub fn from_code(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// `JJ/MM/AAAA` (or `AAAA-MM-JJ`, as date inputs send it) → a date.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Some((d, rest)) = text.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        return Date::new(
            y.trim().parse().ok()?,
            m.trim().parse().ok()?,
            d.trim().parse().ok()?,
        )
        .ok();
    }
    text.parse::<Date>().ok()
}

/// What the journal shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    /// Only events about the person with this login.
    pub login: Option<String>,
    /// Only this kind of event.
    pub action: Option<ActionKind>,
    /// From this day (Paris), included.
    pub from: Option<Date>,
    /// Until this day (Paris), included.
    pub to: Option<Date>,
}

/// A person named in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    /// The id.
    pub id: PersonId,
    /// "Prénom NOM".
    pub name: String,
    /// Their login.
    pub login: String,
    /// Whether they belong to the establishment (their admin page can be linked).
    pub member: bool,
}

/// One row of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalRow {
    /// When (UTC).
    pub at: Timestamp,
    /// What.
    pub kind: ActionKind,
    /// Why a sign-in was refused.
    pub failure: Option<SignInFailure>,
    /// Who acted (the person signing in, or the administrator).
    pub actor: Option<Named>,
    /// Whose account an administrator acted on.
    pub target: Option<Named>,
    /// Source address.
    pub ip: String,
    /// What a structure change changed, for its description.
    pub change: Option<super::structure::ChangeDetail>,
}

/// The journal's rows, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Journal {
    /// The rows.
    pub rows: Vec<JournalRow>,
    /// Whether older matching rows were left out (narrow the dates to see them).
    pub truncated: bool,
}

/// Days shown when the filter gives no start date.
pub const DEFAULT_DAYS: i64 = 30;

/// The first microsecond of a Paris day.
fn day_start(date: Date) -> i64 {
    crate::clock::paris_day_start(date).map_or(i64::MIN, |t| t.as_microsecond())
}

/// The journal of `establishment`, for one of its administrators.
pub fn journal(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    filter: &JournalFilter,
    now: jiff::Timestamp,
) -> Result<Journal, AdminError> {
    let read = store.read()?;
    if super::policy::administered_establishment(&read, actor, establishment)?.is_none() {
        return Err(AdminError::NotFound);
    }
    let members: HashSet<PersonId> = read
        .scan_prefix(&ESTABLISHMENT_PEOPLE, &(establishment,))?
        .map(|r| r.map(|((_, _, p), ())| p))
        .collect::<Result<_, _>>()?;
    let to = filter
        .to
        .and_then(|d| d.tomorrow().ok())
        .map_or(i64::MAX, day_start);
    // Without a start date, the last DEFAULT_DAYS days before the end (or before now): a
    // request never reads the whole log.
    let from = match filter.from {
        Some(d) => day_start(d),
        None => to
            .min(now.as_microsecond())
            .saturating_sub(DEFAULT_DAYS * 24 * 3600 * 1_000_000),
    };
    let relevant = |e: &AuditEvent| match &e.action {
        // A structure change belongs to the establishment it changed, whoever made it.
        AuditAction::StructureChanged {
            establishment: changed,
            ..
        } => *changed == establishment,
        // So are the creation of an establishment and the naming or removal of its
        // administrators (the person may belong to other establishments too).
        AuditAction::EstablishmentCreated {
            establishment: changed,
        }
        | AuditAction::LocalAdminNamed {
            establishment: changed,
            ..
        }
        | AuditAction::LocalAdminRemoved {
            establishment: changed,
            ..
        }
        | AuditAction::CommunicationRulesEdited {
            establishment: changed,
        } => *changed == establishment,
        _ => {
            e.person.is_some_and(|p| members.contains(&p))
                || e.action.target().is_some_and(|t| members.contains(&t))
        }
    };
    let wanted = |e: &AuditEvent| {
        relevant(e) && filter.action.is_none_or(|k| ActionKind::of(&e.action) == k)
    };
    // The newest JOURNAL_LIMIT matches, oldest first while reading.
    let mut kept: VecDeque<AuditEvent> = VecDeque::new();
    let mut truncated = false;
    let mut older_left_out = false;
    let mut keep = |e: AuditEvent| {
        if kept.len() == JOURNAL_LIMIT {
            kept.pop_front();
            truncated = true;
        }
        kept.push_back(e);
    };
    if from < to {
        match filter
            .login
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            Some(login) => {
                let person = read.get(&LOGIN_TO_PERSON, &login.to_lowercase())?;
                if let Some(person) = person {
                    let range = (person, from, AuditId(0))..(person, to, AuditId(0));
                    for row in read.range(&PERSON_AUDIT, range)? {
                        let ((_, at, id), ()) = row?;
                        if let Some(e) = read.get(&AUDIT, &(at, id))?
                            && wanted(&e)
                        {
                            keep(e);
                        }
                    }
                }
            }
            None => {
                // Newest first, stopping once the page is full (then kept oldest first).
                let mut newest = Vec::new();
                let mut more = false;
                for row in read
                    .range(&AUDIT, (from, AuditId(0))..(to, AuditId(0)))?
                    .rev()
                {
                    let (_, e) = row?;
                    if wanted(&e) {
                        if newest.len() == JOURNAL_LIMIT {
                            more = true;
                            break;
                        }
                        newest.push(e);
                    }
                }
                for e in newest.into_iter().rev() {
                    keep(e);
                }
                if more {
                    // The page is full and older entries exist: say so.
                    older_left_out = true;
                }
            }
        }
    }
    let mut names: HashMap<PersonId, Option<Named>> = HashMap::new();
    let mut named = |id: PersonId| -> Result<Option<Named>, AdminError> {
        if let Some(n) = names.get(&id) {
            return Ok(n.clone());
        }
        let n = read.get(&PEOPLE, &id)?.map(|p| Named {
            id,
            name: p.display_name(),
            login: p.login.clone(),
            member: members.contains(&id),
        });
        names.insert(id, n.clone());
        Ok(n)
    };
    let mut rows = Vec::with_capacity(kept.len());
    for e in kept.into_iter().rev() {
        let failure = match &e.action {
            AuditAction::SignInFailed(f) => Some(*f),
            _ => None,
        };
        rows.push(JournalRow {
            at: e.at,
            kind: ActionKind::of(&e.action),
            failure,
            actor: e.person.map(&mut named).transpose()?.flatten(),
            target: e.action.target().map(&mut named).transpose()?.flatten(),
            change: match &e.action {
                AuditAction::StructureChanged { change, .. } => {
                    Some(super::structure::describe(&read, change)?)
                }
                _ => None,
            },
            ip: e.ip,
        });
    }
    Ok(Journal {
        rows,
        truncated: truncated || older_left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_french_and_iso() {
        let d = Date::new(2026, 9, 1).unwrap();
        assert_eq!(parse_date("01/09/2026"), Some(d));
        assert_eq!(parse_date(" 1/9/2026 "), Some(d));
        assert_eq!(parse_date("2026-09-01"), Some(d));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("hier"), None);
    }

    #[test]
    fn action_codes_round_trip() {
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::from_code(k.code()), Some(k));
        }
    }
}
