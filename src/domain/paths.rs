//! The paths of the pages that code outside `http/` links to: mails, search hits, portal tiles,
//! credential letters.
//! The route table is `http/routes.rs` (`route_table`); a test there checks that every builder
//! here ([`samples`]) answers a path of one of its routes. Ids print as their number.

use crate::model::directory::{ClassId, PersonId};
use crate::model::documents::NodeId;
use crate::model::messaging::{MessageId, ReportId};

/// The portal.
pub const PORTAL: &str = "/";
/// The mailbox (inbox).
pub const MESSAGING: &str = "/messagerie";
/// The documents' home.
pub const DOCUMENTS: &str = "/documents";
/// The administration's home.
pub const ADMIN: &str = "/admin";
/// The actor's own profile.
pub const PROFILE: &str = "/profil";
/// The actor's sessions.
pub const SESSIONS: &str = "/sessions";
/// First sign-in with an activation code (printed on credential letters).
pub const ACTIVATION: &str = "/activation";

/// A message's page.
pub fn message(id: MessageId) -> String {
    format!("/messagerie/messages/{id}")
}

/// A message report's page (the establishment's administrators).
pub fn report(id: ReportId) -> String {
    format!("/admin/signalements/{id}")
}

/// A class's page.
pub fn class(id: ClassId) -> String {
    format!("/classes/{id}")
}

/// A person's page.
pub fn person(id: PersonId) -> String {
    format!("/personnes/{id}")
}

/// A file's page in the documents.
pub fn document_file(id: NodeId) -> String {
    format!("/documents/fichier/{id}")
}

/// The page a password recovery link opens, for `token`.
pub fn recovery(token: &str) -> String {
    format!("/mot-de-passe-oublie/{token}")
}

/// `path` on the instance at `base_url` (`https://ent.example`, with or without a final `/`),
/// for links that leave the site (mails).
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{}{path}", base_url.trim_end_matches('/'))
}

/// One output of every builder above (a new builder adds its line here), for the test that
/// holds them to the route table.
pub fn samples() -> Vec<String> {
    vec![
        PORTAL.to_owned(),
        MESSAGING.to_owned(),
        DOCUMENTS.to_owned(),
        ADMIN.to_owned(),
        PROFILE.to_owned(),
        SESSIONS.to_owned(),
        ACTIVATION.to_owned(),
        message(MessageId(7)),
        report(ReportId(7)),
        class(ClassId(7)),
        person(PersonId(7)),
        document_file(NodeId(7)),
        recovery("jeton"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_links_have_one_slash() {
        assert_eq!(
            absolute("https://ent.example/", &message(MessageId(12))),
            "https://ent.example/messagerie/messages/12"
        );
        assert_eq!(
            absolute("https://ent.example", &report(ReportId(3))),
            "https://ent.example/admin/signalements/3"
        );
    }
}
