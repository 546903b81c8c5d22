//! Notifications (issue 6 §4): a timeline per person on the portal, and mail — at once, held
//! until the end of quiet hours, or gathered in a daily digest — as each person chose.
//!
//! The **notifier** is a tailer of the change log (DESIGN.md §3): for each committed entry it
//! reads the domain events (`MessageSent`, `MessageReported`) and writes the timeline rows and
//! the mails **in the same transaction as its saved position**, so after a crash it resumes
//! exactly where it stopped: no event skipped, none notified twice. Everything it builds can be
//! rebuilt from the store.

use crate::clock::paris;
use jiff::civil::{Time, Weekday};
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::Serialize;

use crate::domain::audience::Audience;
use crate::domain::messaging::body::excerpt;
use crate::domain::paths;
use crate::i18n::Lang;
use crate::mail::templates::{self, Rendered, Template};
use crate::mail::{self, MailKind, NewMail};
use crate::model::Actor;
use crate::model::directory::{PersonId, Role};
use crate::model::events::Event;
pub use crate::model::notifications::{DigestItem, Prefs, TimelineEntry, TimelineKind};
use crate::store::LoggedEntry;
use crate::store::tables::{
    DIGEST_DUE, DIGEST_ITEMS, ESTABLISHMENT_PEOPLE, MESSAGE_REPORTS, MESSAGES, NOTIFICATION_PREFS,
    PEOPLE, PERSON_PROFILES, TIMELINE,
};
use crate::store::{ReadTx, Store, StoreError, Tailer, Tx};

/// The tailer's name.
pub const TAILER: &str = "notifier";

/// Entries needing no work passed before the position is saved anyway.
const SAVE_EVERY: u64 = 1_000;

/// At what time (Paris) the daily digest leaves.
pub const DIGEST_HOUR: i8 = 17;

fn is_pupil(read_profiles: &[Role]) -> bool {
    !read_profiles.is_empty() && read_profiles.iter().all(|r| *r == Role::Eleve)
}

fn roles_tx(tx: &Tx, person: PersonId) -> Result<Vec<Role>, StoreError> {
    Ok(crate::domain::directory::service::profiles_in(tx, person)?
        .into_iter()
        .map(|p| p.role)
        .collect())
}

/// A person's preferences (their defaults if never chosen).
pub fn prefs(read: &ReadTx, person: PersonId) -> Result<Prefs, StoreError> {
    if let Some(p) = read.get(&NOTIFICATION_PREFS, &person)? {
        return Ok(p);
    }
    let roles: Vec<Role> = read
        .scan_prefix(&PERSON_PROFILES, &(person,))?
        .map(|r| r.map(|(_, p)| p.role))
        .collect::<Result<_, _>>()?;
    Ok(Prefs::defaults_for(is_pupil(&roles)))
}

fn prefs_tx(tx: &Tx, person: PersonId) -> Result<Prefs, StoreError> {
    if let Some(p) = tx.get(&NOTIFICATION_PREFS, &person)? {
        return Ok(p);
    }
    Ok(Prefs::defaults_for(is_pupil(&roles_tx(tx, person)?)))
}

/// Whether the actor can receive the « message signalé » notification, and so choose it: the
/// local administrators of an establishment, the only people the notifier writes to about a
/// report (issue 14 §8: a pupil or a parent is not offered it).
pub fn receives_reports(actor: &Actor) -> bool {
    actor.profiles.iter().any(|p| p.role == Role::AdminLocal)
}

/// The actor's preferences. For someone who cannot receive reports
/// ([`receives_reports`]), the report choice reads as off.
pub fn my_prefs(store: &Store, actor: &Actor) -> Result<Prefs, StoreError> {
    let mut prefs = match actor.person {
        Some(p) => prefs(&store.read()?, p)?,
        None => Prefs::defaults_for(false),
    };
    if !receives_reports(actor) {
        prefs.mail_reports = false;
    }
    Ok(prefs)
}

/// Saves the actor's preferences. Quiet hours must differ (start ≠ end) and be within a day;
/// the report mail can be asked for only by those who may receive it ([`receives_reports`]):
/// anyone else asking is refused, and their choice is kept as "not chosen" (the default), so
/// an administrator appointed later gets the reports.
pub fn set_prefs(store: &Store, actor: &Actor, prefs: Prefs) -> Result<(), PrefsError> {
    let me = actor.person.ok_or(PrefsError::Invalid)?;
    if let Some((start, end)) = prefs.quiet
        && (start == end || start >= 24 * 60 || end >= 24 * 60)
    {
        return Err(PrefsError::Invalid);
    }
    let mut prefs = prefs;
    if !receives_reports(actor) {
        if prefs.mail_reports {
            return Err(PrefsError::NotAllowed);
        }
        prefs.mail_reports = Prefs::defaults_for(false).mail_reports;
    }
    store.write(|tx| tx.insert(&NOTIFICATION_PREFS, &me, &prefs))?;
    Ok(())
}

/// Why preferences were refused.
#[derive(Debug, thiserror::Error)]
pub enum PrefsError {
    /// Quiet hours that make no sense.
    #[error("invalid quiet hours")]
    Invalid,
    /// A choice the actor cannot make (the report mail, for someone who cannot receive it).
    #[error("not the actor's choice")]
    NotAllowed,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn at_minutes(date: jiff::civil::Date, minutes: u16) -> Option<Timestamp> {
    let time = Time::new(
        i8::try_from(minutes / 60).ok()?,
        i8::try_from(minutes % 60).ok()?,
        0,
        0,
    )
    .ok()?;
    date.to_datetime(time)
        .to_zoned(paris())
        .ok()
        .map(|z| z.timestamp())
}

/// When a mail caused at `now` may leave under `prefs`: `None` at once, else the end of the
/// quiet period (quiet hours, or the weekend).
pub fn hold_until(prefs: &Prefs, now: Timestamp) -> Option<Timestamp> {
    let local: Zoned = now.to_zoned(paris());
    let minutes = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).ok()?;
    let (start, end) = prefs.quiet.unwrap_or((0, 0));
    let in_quiet_hours = prefs.quiet.is_some()
        && if start > end {
            minutes >= start || minutes < end
        } else {
            minutes >= start && minutes < end
        };
    let weekend = prefs.quiet_weekends
        && matches!(local.weekday(), Weekday::Saturday | Weekday::Sunday)
        || prefs.quiet_weekends
            && local.weekday() == Weekday::Friday
            && prefs.quiet.is_some()
            && start > end
            && minutes >= start;
    if !in_quiet_hours && !weekend {
        return None;
    }
    // The next day (from today) at the end of quiet hours that is not a weekend day.
    let end_minutes = if prefs.quiet.is_some() { end } else { 0 };
    let mut date = local.date();
    for _ in 0..8 {
        let candidate = at_minutes(date, end_minutes)?;
        let is_weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        if candidate > now && !(prefs.quiet_weekends && is_weekend) {
            return Some(candidate);
        }
        date = date.tomorrow().ok()?;
    }
    None
}

/// The next digest time (today's or tomorrow's [`DIGEST_HOUR`]) after `now`.
pub fn next_digest(now: Timestamp) -> Timestamp {
    let local = now.to_zoned(paris());
    let today = at_minutes(local.date(), u16::try_from(DIGEST_HOUR).unwrap_or(17) * 60);
    match today {
        Some(t) if t > now => t,
        _ => local
            .date()
            .tomorrow()
            .ok()
            .and_then(|d| at_minutes(d, u16::try_from(DIGEST_HOUR).unwrap_or(17) * 60))
            .unwrap_or_else(|| {
                now.checked_add(SignedDuration::from_hours(24))
                    .unwrap_or(now)
            }),
    }
}

/// Notifies `person` of something: a timeline row, and a mail (now, held, or in the digest)
/// if they want mail of this kind and have an address; `text` renders the mail in a language
/// and a register (`tu` to a pupil, `vous` to anyone else: [`Audience::register`]; the digest
/// keeps its subject).
#[allow(clippy::too_many_arguments)]
fn notify(
    tx: &mut Tx,
    person: PersonId,
    sender: Option<PersonId>,
    key: (u64, u32),
    entry: TimelineEntry,
    wants_mail: impl Fn(&Prefs) -> bool,
    text: &dyn Fn(Lang, &'static str) -> Rendered,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.insert(
        &TIMELINE,
        &(person, entry.at.as_microsecond(), key.0, key.1),
        &entry,
    )?;
    let Some(p) = tx.get(&PEOPLE, &person)? else {
        return Ok(());
    };
    let Some(to) = p.email.clone() else {
        return Ok(());
    };
    let prefs = prefs_tx(tx, person)?;
    if !wants_mail(&prefs) {
        return Ok(());
    }
    let register = Audience::of_roles(roles_tx(tx, person)?).register();
    let Rendered { subject, body } = text(templates::language_of(&p), register);
    if prefs.digest {
        tx.insert(
            &DIGEST_ITEMS,
            &(person, entry.at.as_microsecond(), key.0, key.1),
            &DigestItem {
                at: entry.at,
                line: subject,
            },
        )?;
        tx.insert(
            &DIGEST_DUE,
            &(next_digest(now).as_microsecond(), person),
            &(),
        )?;
        return Ok(());
    }
    let mail = NewMail {
        kind: MailKind::Notification,
        person: Some(person),
        sender,
        to,
        subject,
        body,
    };
    match hold_until(&prefs, now) {
        Some(until) => mail::queue::enqueue_at(tx, now, until, mail)?,
        None => mail::enqueue(tx, now, mail)?,
    };
    Ok(())
}

/// Applies one change log entry's events, in the caller's transaction.
pub fn apply_entry(
    tx: &mut Tx,
    entry: &LoggedEntry,
    base_url: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let seq = entry.body.seq;
    let at = Timestamp::from_microsecond(entry.body.committed_at_us).unwrap_or(now);
    for event in &entry.body.events {
        match event {
            Event::MessageSent { message } => {
                let Some(m) = tx.get(&MESSAGES, message)? else {
                    continue;
                };
                let from = tx
                    .get(&PEOPLE, &m.sender)?
                    .map(|p| p.display_name())
                    .unwrap_or_default();
                let link = paths::absolute(base_url, &paths::message(*message));
                let excerpt = excerpt(&m.body, 300);
                let text = |lang, register: &'static str| {
                    templates::render(
                        Template::MessageReceived,
                        lang,
                        &[
                            ("registre", register.into()),
                            ("de", from.as_str().into()),
                            ("objet", m.subject.as_str().into()),
                            ("extrait", excerpt.as_str().into()),
                            ("accuse", if m.ack_requested { "oui" } else { "non" }.into()),
                            ("lien", link.as_str().into()),
                        ],
                    )
                };
                for (i, person) in m.recipients.iter().enumerate() {
                    notify(
                        tx,
                        *person,
                        Some(m.sender),
                        (seq, u32::try_from(i).unwrap_or(u32::MAX)),
                        TimelineEntry {
                            at,
                            kind: TimelineKind::MessageReceived {
                                message: *message,
                                from: m.sender,
                                subject: m.subject.clone(),
                                ack_requested: m.ack_requested,
                            },
                        },
                        |p| p.mail_messages,
                        &text,
                        now,
                    )?;
                }
            }
            Event::MessageReported { report } => {
                let Some(r) = tx.get(&MESSAGE_REPORTS, report)? else {
                    continue;
                };
                let admins: Vec<PersonId> = tx
                    .range(
                        &ESTABLISHMENT_PEOPLE,
                        (r.establishment, Role::AdminLocal.code(), PersonId(0))
                            ..=(r.establishment, Role::AdminLocal.code(), PersonId(u64::MAX)),
                    )?
                    .into_iter()
                    .map(|((_, _, p), ())| p)
                    .collect();
                let link = paths::absolute(base_url, &paths::report(*report));
                let text = |lang, _register: &'static str| {
                    templates::render(
                        Template::MessageReported,
                        lang,
                        &[("lien", link.as_str().into())],
                    )
                };
                for (i, admin) in admins.iter().enumerate() {
                    notify(
                        tx,
                        *admin,
                        None,
                        (seq, u32::try_from(i).unwrap_or(u32::MAX)),
                        TimelineEntry {
                            at,
                            kind: TimelineKind::MessageReported { report: *report },
                        },
                        |p| p.mail_reports,
                        &text,
                        now,
                    )?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Sends the digests due at `now`: one mail per person gathering their waiting items.
pub fn send_due_digests(store: &Store, now: Timestamp) -> Result<usize, StoreError> {
    let due: Vec<(i64, PersonId)> = store
        .read()?
        .range(&DIGEST_DUE, ..=(now.as_microsecond(), PersonId(u64::MAX)))?
        .map(|r| r.map(|(k, ())| k))
        .collect::<Result<_, _>>()?;
    let mut sent = 0;
    for (at, person) in due {
        sent += store.write(|tx| {
            tx.remove(&DIGEST_DUE, &(at, person))?;
            let items = tx.range(
                &DIGEST_ITEMS,
                (person, i64::MIN, 0, 0)..=(person, i64::MAX, u64::MAX, u32::MAX),
            )?;
            if items.is_empty() {
                return Ok::<_, StoreError>(0);
            }
            let Some(p) = tx.get(&PEOPLE, &person)? else {
                return Ok(0);
            };
            let Some(to) = p.email.clone() else {
                return Ok(0);
            };
            let lang = templates::language_of(&p);
            let register = Audience::of_roles(roles_tx(tx, person)?).register();
            let mut lines = Vec::with_capacity(items.len());
            for (key, item) in &items {
                let when = item
                    .at
                    .to_zoned(paris())
                    .strftime("%d/%m %H:%M")
                    .to_string();
                lines.push(templates::digest_line(lang, &when, &item.line));
                tx.remove(&DIGEST_ITEMS, key)?;
            }
            let Rendered { subject, body } = templates::render(
                Template::Digest,
                lang,
                &[
                    ("nombre", items.len().into()),
                    ("lignes", lines.join("\n").into()),
                    ("registre", register.into()),
                ],
            );
            mail::enqueue(
                tx,
                now,
                NewMail {
                    kind: MailKind::Digest,
                    person: Some(person),
                    sender: None,
                    to,
                    subject,
                    body,
                },
            )?;
            Ok(1)
        })?;
    }
    Ok(sent)
}

/// Runs the notifier over every entry not yet done (at most `max` per call); returns how many
/// entries it applied.
pub fn catch_up(
    store: &Store,
    tailer: &mut Tailer,
    base_url: &str,
    now: Timestamp,
    max: usize,
) -> Result<usize, StoreError> {
    let batch = tailer.next_batch(max)?;
    let n = batch.len();
    for entry in batch {
        let work = entry
            .body
            .events
            .iter()
            .any(|e| matches!(e, Event::MessageSent { .. } | Event::MessageReported { .. }));
        if work {
            store.write(|tx| {
                apply_entry(tx, &entry, base_url, now)?;
                tailer.save_in(tx, &entry)
            })?;
            tailer.moved_to(&entry);
        } else if tailer.skip(&entry) >= SAVE_EVERY {
            tailer.advance(&entry)?;
        }
    }
    Ok(n)
}

/// A timeline row with its person's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineItem {
    /// What.
    pub entry: TimelineEntry,
    /// The other person, if any (a message's sender), by name.
    pub from: Option<String>,
}

/// The actor's newest timeline rows, at most `limit`.
pub fn timeline(
    store: &Store,
    actor: &Actor,
    limit: usize,
) -> Result<Vec<TimelineItem>, StoreError> {
    let Some(me) = actor.person else {
        return Ok(Vec::new());
    };
    let read = store.read()?;
    let mut out = Vec::new();
    for row in read
        .range(
            &TIMELINE,
            (me, i64::MIN, 0, 0)..=(me, i64::MAX, u64::MAX, u32::MAX),
        )?
        .rev()
        .take(limit)
    {
        let (_, entry) = row?;
        let from = match &entry.kind {
            TimelineKind::MessageReceived { from, .. } => {
                read.get(&PEOPLE, from)?.map(|p| p.display_name())
            }
            TimelineKind::MessageReported { .. } => None,
        };
        out.push(TimelineItem { entry, from });
    }
    Ok(out)
}

/// A notification mail caused by the actor (their message) that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undelivered {
    /// To whom.
    pub to_person: Option<PersonId>,
    /// Their name, if an account.
    pub to_name: Option<String>,
    /// The mail's subject.
    pub subject: String,
    /// When it failed.
    pub at: Timestamp,
}

/// The actor's most recent undelivered notification mails (at most `limit`).
pub fn undelivered(
    store: &Store,
    actor: &Actor,
    limit: usize,
) -> Result<Vec<Undelivered>, StoreError> {
    let Some(me) = actor.person else {
        return Ok(Vec::new());
    };
    let read = store.read()?;
    let mut out = Vec::new();
    for (_, m) in mail::failures_for(&read, me, limit)? {
        let at = match &m.state {
            mail::MailState::Failed { at, .. } => *at,
            _ => m.queued_at,
        };
        let to_name = match m.person {
            Some(p) => read.get(&PEOPLE, &p)?.map(|p| p.display_name()),
            None => None,
        };
        out.push(Undelivered {
            to_person: m.person,
            to_name,
            subject: m.subject,
            at,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris_time(s: &str) -> Timestamp {
        jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", s)
            .unwrap()
            .to_zoned(paris())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn quiet_hours_hold_until_morning_and_weekends_until_monday() {
        let pupil = Prefs::defaults_for(true);
        // Wednesday 2026-09-16.
        assert_eq!(hold_until(&pupil, paris_time("2026-09-16 15:00")), None);
        assert_eq!(
            hold_until(&pupil, paris_time("2026-09-16 21:30")),
            Some(paris_time("2026-09-17 07:00"))
        );
        assert_eq!(
            hold_until(&pupil, paris_time("2026-09-17 06:59")),
            Some(paris_time("2026-09-17 07:00"))
        );
        // Friday evening, Saturday noon → Monday 07:00.
        assert_eq!(
            hold_until(&pupil, paris_time("2026-09-18 22:00")),
            Some(paris_time("2026-09-21 07:00"))
        );
        assert_eq!(
            hold_until(&pupil, paris_time("2026-09-19 12:00")),
            Some(paris_time("2026-09-21 07:00"))
        );
        let adult = Prefs::defaults_for(false);
        assert_eq!(hold_until(&adult, paris_time("2026-09-16 23:00")), None);
    }

    #[test]
    fn the_digest_leaves_at_five() {
        assert_eq!(
            next_digest(paris_time("2026-09-16 09:00")),
            paris_time("2026-09-16 17:00")
        );
        assert_eq!(
            next_digest(paris_time("2026-09-16 17:30")),
            paris_time("2026-09-17 17:00")
        );
    }
}
