//! A few documents in the demo school (issue 7), so that `/documents` and `/recherche` show
//! something on first sign-in: a worksheet in 4A's space, the rules in the collège's space, a
//! pupil's own notes, one of them shared.

use jiff::Timestamp;

use crate::blobs::BlobStore;
use crate::domain::directory::queries::{find_by_login, load_actor};
use crate::domain::documents::service::{self, Limits, Uploaded};
use crate::domain::documents::shares;
use crate::model::Actor;
use crate::model::documents::{Grantee, ShareRight, Space};
use crate::store::Store;

const WORKSHEET: &str = "# Fiche d'exercices – Théorème de Pythagore\n\n\
Exercice 1. Un triangle ABC est rectangle en A, avec AB = 3 cm et AC = 4 cm. Calcule BC.\n\n\
Exercice 2. Une échelle de 5 m est posée contre un mur, son pied à 1,4 m du mur. À quelle \
hauteur touche-t-elle le mur ?\n\n\
Exercice 3. Les élèves vérifient si le triangle de côtés 6 cm, 8 cm et 10 cm est rectangle.\n";

const RULES: &str = "# Règlement intérieur du collège\n\n\
Les élèves arrivent à l'heure. Toute absence est justifiée par les responsables légaux auprès \
de la vie scolaire. Le téléphone portable est éteint dans l'enceinte de l'établissement. \
Le respect d'autrui et des locaux s'impose à tous.\n";

const NOTES: &str = "Révisions de mathématiques : le théorème de Pythagore, \
la réciproque, les racines carrées. Demander au professeur l'exercice de l'échelle.\n";

/// Puts the demo documents in place (once: called right after the demo school is generated).
pub fn seed(store: &Store, blobs: &BlobStore, now: Timestamp) -> anyhow::Result<()> {
    let limits = Limits {
        max_file: u64::MAX,
        quota_pupil: u64::MAX,
        quota_parent: u64::MAX,
        quota_staff: u64::MAX,
    };
    let actor = |login: &str| -> anyhow::Result<Actor> {
        let read = store.read()?;
        let (id, _) = find_by_login(&read, login)?
            .ok_or_else(|| anyhow::anyhow!("demo login {login} missing"))?;
        load_actor(&read, id)?.ok_or_else(|| anyhow::anyhow!("demo login {login} missing"))
    };
    let put = |actor: &Actor, space: Space, name: &str, text: &str| -> anyhow::Result<_> {
        let (blob, size) = blobs.put_bytes(text.as_bytes())?;
        let file = Uploaded {
            name: name.to_owned(),
            blob,
            size,
        };
        let stored = service::store_files(store, actor, space, None, &[file], &limits, now)?;
        Ok(stored.first().map(|s| s.node()))
    };
    let prof = actor("prof")?;
    if let Some(class) = prof.classes.iter().copied().find(|c| {
        store
            .read()
            .ok()
            .and_then(|r| r.get(&crate::store::tables::CLASSES, c).ok().flatten())
            .is_some_and(|c| c.name == "4A")
    }) {
        put(&prof, Space::Class(class), "Fiche Pythagore.md", WORKSHEET)?;
    }
    let principal = actor("principal")?;
    if let Some(e) = principal.establishments().first() {
        put(
            &principal,
            Space::Establishment(*e),
            "Règlement intérieur.md",
            RULES,
        )?;
    }
    let eleve = actor("eleve")?;
    if let Some(me) = eleve.person
        && let Some(notes) = put(&eleve, Space::Personal(me), "Mes révisions.txt", NOTES)?
        && let Some(teacher) = prof.person
    {
        shares::share(
            store,
            &eleve,
            notes,
            Grantee::Person(teacher),
            ShareRight::Read,
            now,
        )?;
    }
    Ok(())
}
