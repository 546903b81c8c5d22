//! The audit log of sensitive actions, as stored: who, when, from where, never a secret.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::{
    Audience, ClassId, EstablishmentId, GroupId, PersonId, SubjectId, TeachingId,
};

crate::typed_id!(
    /// One audit event.
    AuditId,
    "audit"
);

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    /// A successful sign-in.
    SignIn,
    /// A refused sign-in, with why.
    SignInFailed(SignInFailure),
    /// A sign-out.
    SignOut,
    /// A session ended from "my sessions" or by an administrator.
    SessionRevoked,
    /// The person changed their password (all their sessions ended).
    PasswordChanged,
    // New variants go at the end: postcard encodes a variant by its index.
    /// An administrator (the event's `person`) disabled `target`'s account (its sessions ended).
    AccountDisabled {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) re-enabled `target`'s account.
    AccountEnabled {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) gave `target` a new one-time password (its
    /// sessions ended). The code itself is never recorded.
    PasswordReset {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) printed a credential letter for `target`: a new
    /// activation code replaced any earlier one. The code itself is never recorded.
    ActivationCodeIssued {
        /// Whose account.
        target: PersonId,
    },
    /// The person activated their account (or used a reset code): password chosen.
    AccountActivated,
    /// The person accepted `establishment`'s charter in this version.
    CharterAccepted {
        /// Whose charter.
        establishment: EstablishmentId,
        /// Which version.
        version: u32,
    },
    /// An administrator (the event's `person`) changed `establishment`'s charter.
    CharterEdited {
        /// Whose charter.
        establishment: EstablishmentId,
        /// The new version.
        version: u32,
    },
    /// Someone asked for a password recovery mail for this person's account (sent or not).
    PasswordRecoveryRequested,
    /// The person chose a new password through a recovery link (all their sessions ended).
    PasswordRecovered,
    /// An administrator (the event's `person`) imported a spreadsheet file into
    /// `establishment` from the administration pages.
    DirectoryImported {
        /// Into which establishment.
        establishment: EstablishmentId,
    },
    /// An administrator (the event's `person`) changed the structure of `establishment`: its
    /// classes, groups, subjects, teachings or a pupil's parent links.
    StructureChanged {
        /// Where.
        establishment: EstablishmentId,
        /// What.
        change: StructureChange,
    },
    /// An administrator (the event's `person`) created `target`'s account (pending).
    AccountCreated {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) edited `target`'s account: names, birth date,
    /// e-mail, login or profiles.
    AccountEdited {
        /// Whose account.
        target: PersonId,
    },
    /// The platform administrator (the event's `person`) created `establishment`.
    EstablishmentCreated {
        /// Which.
        establishment: EstablishmentId,
    },
    /// The platform administrator (the event's `person`) named `target` local administrator of
    /// `establishment`.
    LocalAdminNamed {
        /// Who.
        target: PersonId,
        /// Where.
        establishment: EstablishmentId,
    },
    /// The platform administrator (the event's `person`) took `target`'s local administrator
    /// profile of `establishment` away.
    LocalAdminRemoved {
        /// Who.
        target: PersonId,
        /// Where.
        establishment: EstablishmentId,
    },
    /// An administrator (the event's `person`) changed `establishment`'s communication rules.
    CommunicationRulesEdited {
        /// Whose rules.
        establishment: EstablishmentId,
    },
    /// The event's `person` reported a message written by `target`.
    MessageReported {
        /// The message's sender.
        target: PersonId,
        /// The report's id.
        report: u64,
    },
    /// An administrator (the event's `person`) reviewed a report of a message by `target`.
    MessageReportReviewed {
        /// The message's sender.
        target: PersonId,
        /// The report's id.
        report: u64,
    },
    /// An administrator (the event's `person`) suspended `target`'s messaging.
    MessagingSuspended {
        /// Whose.
        target: PersonId,
    },
    /// An administrator (the event's `person`) restored `target`'s messaging.
    MessagingRestored {
        /// Whose.
        target: PersonId,
    },
    /// An administrator (the event's `person`) made a retrying or failed mail due now.
    MailRetried {
        /// Which mail.
        mail: crate::model::mail::MailId,
        /// The account it is for, if any.
        target: Option<PersonId>,
    },
    /// An administrator (the event's `person`) cancelled a mail not sent yet.
    MailCancelled {
        /// Which mail.
        mail: crate::model::mail::MailId,
        /// The account it is for, if any.
        target: Option<PersonId>,
    },
}

impl AuditAction {
    /// The person an administrator acted on, if this is an administrator's action.
    pub fn target(&self) -> Option<PersonId> {
        match self {
            AuditAction::AccountDisabled { target }
            | AuditAction::AccountEnabled { target }
            | AuditAction::PasswordReset { target }
            | AuditAction::ActivationCodeIssued { target } => Some(*target),
            AuditAction::StructureChanged { change, .. } => change.person(),
            AuditAction::AccountCreated { target }
            | AuditAction::AccountEdited { target }
            | AuditAction::LocalAdminNamed { target, .. }
            | AuditAction::LocalAdminRemoved { target, .. } => Some(*target),
            AuditAction::MessageReported { target, .. }
            | AuditAction::MessageReportReviewed { target, .. }
            | AuditAction::MessagingSuspended { target }
            | AuditAction::MessagingRestored { target } => Some(*target),
            AuditAction::MailRetried { target, .. } | AuditAction::MailCancelled { target, .. } => {
                *target
            }
            _ => None,
        }
    }
}

/// A change to an establishment's structure ([`AuditAction::StructureChanged`]). Stored with
/// postcard like the action: new variants go at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StructureChange {
    /// A class was created.
    ClassCreated {
        /// Which.
        class: ClassId,
    },
    /// A class was renamed, its level or its head teacher changed.
    ClassEdited {
        /// Which.
        class: ClassId,
    },
    /// A class was deleted (it had no pupils and no teachings).
    ClassDeleted {
        /// Its name then.
        name: String,
    },
    /// A pupil was put in a class.
    PupilAddedToClass {
        /// Which class.
        class: ClassId,
        /// Who.
        pupil: PersonId,
    },
    /// A pupil was taken out of a class (removed, or moved to another class).
    PupilRemovedFromClass {
        /// Which class.
        class: ClassId,
        /// Who.
        pupil: PersonId,
    },
    /// A group was created.
    GroupCreated {
        /// Which.
        group: GroupId,
    },
    /// A group was renamed.
    GroupEdited {
        /// Which.
        group: GroupId,
    },
    /// A group was deleted (it had no pupils and no teachings).
    GroupDeleted {
        /// Its name then.
        name: String,
    },
    /// A pupil was put in a group.
    PupilAddedToGroup {
        /// Which group.
        group: GroupId,
        /// Who.
        pupil: PersonId,
    },
    /// A pupil was taken out of a group.
    PupilRemovedFromGroup {
        /// Which group.
        group: GroupId,
        /// Who.
        pupil: PersonId,
    },
    /// A subject was created.
    SubjectCreated {
        /// Which.
        subject: SubjectId,
    },
    /// A subject was renamed.
    SubjectEdited {
        /// Which.
        subject: SubjectId,
    },
    /// A subject was deleted (no teaching used it).
    SubjectDeleted {
        /// Its name then.
        name: String,
    },
    /// A teacher now teaches a subject to a class or group.
    TeachingAdded {
        /// The teaching.
        teaching: TeachingId,
        /// The teacher.
        teacher: PersonId,
        /// The subject.
        subject: SubjectId,
        /// The class or group.
        audience: Audience,
    },
    /// A teaching was removed.
    TeachingRemoved {
        /// The teaching.
        teaching: TeachingId,
        /// The teacher.
        teacher: PersonId,
        /// The subject.
        subject: SubjectId,
        /// The class or group.
        audience: Audience,
    },
    /// A parent was linked to a pupil.
    ParentLinked {
        /// The parent.
        parent: PersonId,
        /// The pupil.
        child: PersonId,
    },
    /// The relation, parental authority or mail flag of a parent link changed.
    ParentLinkEdited {
        /// The parent.
        parent: PersonId,
        /// The pupil.
        child: PersonId,
    },
    /// A parent's link to a pupil was removed.
    ParentUnlinked {
        /// The parent.
        parent: PersonId,
        /// The pupil.
        child: PersonId,
    },
}

impl StructureChange {
    /// The person the change concerns, for the journal filtered by person: the pupil (or
    /// child) for memberships and parent links, the teacher for teachings.
    pub fn person(&self) -> Option<PersonId> {
        match self {
            StructureChange::PupilAddedToClass { pupil, .. }
            | StructureChange::PupilRemovedFromClass { pupil, .. }
            | StructureChange::PupilAddedToGroup { pupil, .. }
            | StructureChange::PupilRemovedFromGroup { pupil, .. } => Some(*pupil),
            StructureChange::TeachingAdded { teacher, .. }
            | StructureChange::TeachingRemoved { teacher, .. } => Some(*teacher),
            StructureChange::ParentLinked { child, .. }
            | StructureChange::ParentLinkEdited { child, .. }
            | StructureChange::ParentUnlinked { child, .. } => Some(*child),
            _ => None,
        }
    }
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInFailure {
    /// No such login.
    UnknownLogin,
    /// Wrong password.
    WrongPassword,
    /// Account disabled or left.
    Disabled,
    /// Account not activated yet.
    Pending,
    /// Too many attempts.
    Throttled,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When (UTC).
    pub at: Timestamp,
    /// What.
    pub action: AuditAction,
    /// The person concerned, if known.
    pub person: Option<PersonId>,
    /// The login typed (for failures on unknown logins), trimmed to 64 characters.
    pub login: String,
    /// Source address.
    pub ip: String,
    /// User agent, trimmed to 200 characters.
    pub user_agent: String,
}
