//! Importing a spreadsheet file from the administration pages: upload → dry run shown to the
//! administrator → confirmation → the import itself, one transaction (issue 5 §2).
//!
//! Between the preview and the confirmation the file waits in the node-local
//! `local_import_uploads_v1` table under a random token (hashed), for one hour, tied to the
//! administrator and the establishment: the confirmation imports exactly the bytes that were
//! previewed, and nobody else can confirm them.

use jiff::{SignedDuration, Timestamp};

use super::AdminError;
use crate::clock::paris_date as today;
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::accounts::session::SessionToken;
use crate::domain::import::aaf_apply::{Counts, ImportError, ImportReport};
use crate::domain::once::Once;
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{EstablishmentId, SchoolYear};

use crate::domain::import::csv_apply::{self, CsvKind};
pub use crate::model::import::Upload;
use crate::store::tables::IMPORT_UPLOADS;
use crate::store::{Store, StoreError, encode_value};
use serde::{Deserialize, Serialize};

/// The largest file accepted (a 2,000-pupil establishment's file is about 100 KiB).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// How long an uploaded file waits for its confirmation.
pub const UPLOAD_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

fn kind_code(kind: CsvKind) -> u8 {
    match kind {
        CsvKind::Students => 1,
        CsvKind::Teachers => 2,
        CsvKind::Parents => 3,
    }
}

fn kind_of(code: u8) -> Option<CsvKind> {
    match code {
        1 => Some(CsvKind::Students),
        2 => Some(CsvKind::Teachers),
        3 => Some(CsvKind::Parents),
        _ => None,
    }
}

/// The result of a preview.
#[derive(Debug)]
pub struct Preview {
    /// The kind of file (given or detected).
    pub kind: CsvKind,
    /// What the import would do; with errors, the file would be refused.
    pub report: ImportReport,
    /// The token to confirm with (only when the file has no bad line).
    pub token: Option<SessionToken>,
}

fn check(store: &Store, actor: &Actor, establishment: EstablishmentId) -> Result<(), AdminError> {
    super::policy::administered_establishment(&store.read()?, actor, establishment)?
        .map(|_| ())
        .ok_or(AdminError::NotFound)
}

/// Dry-runs `bytes` (of `kind`, or detected from its header) into `establishment` for the
/// current school year; keeps the file for the confirmation if it has no bad line.
pub fn preview(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    kind: Option<CsvKind>,
    file_name: &str,
    bytes: Vec<u8>,
    now: Timestamp,
) -> Result<Preview, AdminError> {
    check(store, actor, establishment)?;
    if bytes.is_empty() {
        return Err(AdminError::Invalid {
            field: "fichier",
            key: "import-erreur-vide",
        });
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AdminError::Invalid {
            field: "fichier",
            key: "import-erreur-taille",
        });
    }
    let kind = match kind.or_else(|| CsvKind::detect(&bytes)) {
        Some(kind) => kind,
        None => {
            return Err(AdminError::Invalid {
                field: "type",
                key: "import-erreur-type",
            });
        }
    };
    let today = today(now);
    let year = SchoolYear::of(today);
    let report =
        match csv_apply::import_csv(store, actor, establishment, year, kind, &bytes, today, true) {
            Ok(report) => report,
            Err(ImportError::Refused(report)) => *report,
            Err(ImportError::Store(e)) => return Err(AdminError::Store(e)),
        };
    if !report.errors.is_empty() {
        return Ok(Preview {
            kind,
            report,
            token: None,
        });
    }
    let token = SessionToken::generate()?;
    let name: String = file_name.chars().take(200).collect();
    store.write(|tx| {
        tx.insert(
            &IMPORT_UPLOADS,
            &token.hash(),
            &Upload {
                establishment,
                person: actor.person,
                kind: kind_code(kind),
                file_name: name,
                bytes,
                at: now,
            },
        )
    })?;
    Ok(Preview {
        kind,
        report,
        token: Some(token),
    })
}

/// What a confirmed import's one-time key keeps (`domain::once`): the kind and the counts of
/// its report, said again to a second submission of the same confirmation.
#[derive(Debug, Serialize, Deserialize)]
struct Summary {
    kind: u8,
    students: Counts,
    relatives: Counts,
    staff: Counts,
    subjects_created: usize,
    teachings_created: usize,
    links_created: usize,
}

impl Summary {
    fn of(kind: CsvKind, r: &ImportReport) -> Summary {
        Summary {
            kind: kind_code(kind),
            students: r.students,
            relatives: r.relatives,
            staff: r.staff,
            subjects_created: r.subjects_created,
            teachings_created: r.teachings_created,
            links_created: r.links_created,
        }
    }

    fn report(self) -> ImportReport {
        ImportReport {
            students: self.students,
            relatives: self.relatives,
            staff: self.staff,
            subjects_created: self.subjects_created,
            teachings_created: self.teachings_created,
            links_created: self.links_created,
            ..ImportReport::default()
        }
    }
}

/// A confirmed import.
#[derive(Debug)]
pub struct Confirmed {
    /// The kind of file.
    pub kind: CsvKind,
    /// What it did (with lines in error: refused, nothing written). Said again to a second
    /// submission of the same form, with its counts only.
    pub report: ImportReport,
    /// Whether this is the answer to a second submission of the same form (nothing done now).
    pub again: bool,
}

/// Imports the file previewed under `token`, in one transaction, audited; the file is then
/// forgotten. "Not found" if the token is unknown, expired, or someone else's. Guarded by the
/// form's one-time key (`domain::once`): the same confirmation posted twice answers the first
/// import's summary.
pub fn confirm(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    token: &SessionToken,
    client: &Origin,
    now: Timestamp,
    once: Option<&Once>,
) -> Result<Confirmed, AdminError> {
    check(store, actor, establishment)?;
    if let Some(first) = crate::domain::once::done_before::<Summary>(store, once)? {
        return Ok(Confirmed {
            kind: kind_of(first.kind).ok_or(AdminError::NotFound)?,
            report: first.report(),
            again: true,
        });
    }
    let key = token.hash();
    let upload = store
        .read()?
        .get(&IMPORT_UPLOADS, &key)?
        .filter(|u| u.establishment == establishment && u.person == actor.person)
        .ok_or(AdminError::Invalid {
            field: "televersement",
            key: "import-erreur-perime",
        })?;
    let expired = upload
        .at
        .checked_add(UPLOAD_LIFETIME)
        .is_ok_and(|until| now >= until);
    let kind = kind_of(upload.kind).ok_or(AdminError::NotFound)?;
    if expired {
        store.write(|tx| tx.remove(&IMPORT_UPLOADS, &key).map(|_| ()))?;
        return Err(AdminError::Invalid {
            field: "televersement",
            key: "import-erreur-perime",
        });
    }
    let today = today(now);
    let year = SchoolYear::of(today);
    // The import, its audit and forgetting the file commit together; a refused file (the
    // store changed since the preview) writes nothing and stays for another look.
    let mut again = false;
    let outcome = crate::domain::once::write_as(
        store,
        once,
        now,
        |tx| {
            let report =
                csv_apply::apply_csv(tx, actor, establishment, year, kind, &upload.bytes, today)?;
            if !report.errors.is_empty() {
                return Err(Refusal::Refused(Box::new(report)));
            }
            tx.remove(&IMPORT_UPLOADS, &key)?;
            audit::record(
                tx,
                AuditEvent {
                    at: now,
                    action: AuditAction::DirectoryImported { establishment },
                    person: actor.person,
                    login: String::new(),
                    ip: client.ip.clone(),
                    user_agent: client.user_agent.clone(),
                },
            )?;
            Ok(report)
        },
        |report| encode_value(&Summary::of(kind, report)),
        |first: Summary| {
            again = true;
            Ok(first.report())
        },
    );
    match outcome {
        Ok(report) => Ok(Confirmed {
            kind,
            report,
            again,
        }),
        Err(Refusal::Refused(report)) => Ok(Confirmed {
            kind,
            report: *report,
            again: false,
        }),
        Err(Refusal::Store(e)) => Err(AdminError::Store(e)),
    }
}

enum Refusal {
    Refused(Box<ImportReport>),
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Store(e)
    }
}
