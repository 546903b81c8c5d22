//! `cartable debug seed-documents`: fills a demo store (the region demo for `scripts/bench
//! search`) with `count` French documents spread like a real year: worksheets put by teachers
//! in their classes' spaces (half of them), pupils' own work (a third; one in four shared with
//! a classmate or a teacher), teachers' own files, and each establishment's documents. Texts are
//! drawn deterministically from a French word list (accents included), 80–400 words each; with
//! `--long N`, N more of 5–100 KB each (chapters, courses, regulations: issue 14 §15).
//! Prints the logins of a pupil, a teacher and an administrator who own or see many documents,
//! for the query benchmark.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use rand::{RngExt as _, SeedableRng as _};

use crate::blobs::BlobStore;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::directory::queries::load_actor;
use crate::domain::documents::service::{self, Limits, Uploaded};
use crate::domain::documents::shares;
use crate::model::Actor;
use crate::model::directory::{Audience, EstablishmentId, PersonId, Role};
use crate::model::documents::{Grantee, ShareRight, Space};
use crate::store::Store;
use crate::store::tables::{
    CLASS_STUDENTS, CLASS_TEACHINGS, ESTABLISHMENT_CLASSES, ESTABLISHMENT_PEOPLE, ESTABLISHMENTS,
    PEOPLE, TEACHINGS,
};

/// Arguments of `debug seed-documents`.
#[derive(Debug, Args)]
pub struct SeedDocuments {
    /// Documents to create in all.
    #[arg(long, default_value_t = 100_000)]
    pub count: usize,
    /// Long documents to add (5–100 KB of text each: chapters, worksheets, regulations), in the
    /// sampled class's space, its teacher's own space and the establishment's, each in a folder.
    #[arg(long, default_value_t = 0)]
    pub long: usize,
}

/// Words of French school life, accents included, for generated texts and queries.
pub const WORDS: &[&str] = &[
    "élève",
    "élèves",
    "professeur",
    "mathématiques",
    "français",
    "histoire",
    "géographie",
    "sciences",
    "physique",
    "chimie",
    "biologie",
    "anglais",
    "espagnol",
    "allemand",
    "latin",
    "musique",
    "éducation",
    "civique",
    "théorème",
    "Pythagore",
    "Thalès",
    "fraction",
    "équation",
    "géométrie",
    "triangle",
    "cercle",
    "périmètre",
    "aire",
    "volume",
    "statistiques",
    "probabilité",
    "proportionnalité",
    "fonction",
    "graphique",
    "calcul",
    "nombre",
    "décimal",
    "révolution",
    "république",
    "Moyen",
    "Âge",
    "Renaissance",
    "Lumières",
    "guerre",
    "mondiale",
    "Europe",
    "France",
    "région",
    "Auvergne",
    "volcan",
    "climat",
    "océan",
    "rivière",
    "forêt",
    "énergie",
    "électricité",
    "circuit",
    "tension",
    "lumière",
    "matière",
    "atome",
    "molécule",
    "cellule",
    "respiration",
    "digestion",
    "écosystème",
    "biodiversité",
    "environnement",
    "poésie",
    "roman",
    "théâtre",
    "Molière",
    "Hugo",
    "conte",
    "fable",
    "La",
    "Fontaine",
    "rédaction",
    "dictée",
    "grammaire",
    "conjugaison",
    "orthographe",
    "vocabulaire",
    "verbe",
    "sujet",
    "complément",
    "adjectif",
    "accord",
    "participe",
    "passé",
    "présent",
    "futur",
    "imparfait",
    "exercice",
    "exercices",
    "devoir",
    "devoirs",
    "évaluation",
    "contrôle",
    "correction",
    "fiche",
    "leçon",
    "cours",
    "chapitre",
    "séquence",
    "séance",
    "objectif",
    "compétence",
    "méthode",
    "exposé",
    "projet",
    "sortie",
    "voyage",
    "musée",
    "bibliothèque",
    "cantine",
    "récréation",
    "emploi",
    "temps",
    "bulletin",
    "trimestre",
    "conseil",
    "classe",
    "délégué",
    "parents",
    "réunion",
    "rencontre",
    "orientation",
    "stage",
    "brevet",
    "diplôme",
    "lycée",
    "collège",
    "sixième",
    "cinquième",
    "quatrième",
    "troisième",
    "seconde",
    "première",
    "terminale",
    "carte",
    "mentale",
    "schéma",
    "tableau",
    "document",
    "source",
    "analyse",
    "argument",
    "problème",
    "solution",
    "démonstration",
    "propriété",
    "définition",
    "exemple",
    "question",
    "réponse",
    "consigne",
    "lecture",
    "écriture",
    "oral",
    "écrit",
    "travail",
    "groupe",
    "autonomie",
    "numérique",
    "informatique",
    "algorithme",
    "programme",
    "Scratch",
    "robot",
    "technologie",
    "objet",
    "matériau",
    "énergie",
    "développement",
    "durable",
    "santé",
    "sport",
    "natation",
    "athlétisme",
    "football",
    "handball",
    "gymnastique",
    "danse",
    "arts",
    "plastiques",
    "dessin",
    "peinture",
    "sculpture",
    "photographie",
    "cinéma",
    "chanson",
    "été",
    "hiver",
    "automne",
    "printemps",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "matin",
    "après-midi",
    "semaine",
    "vacances",
    "rentrée",
    "Noël",
    "février",
    "avril",
    "mai",
    "juin",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "janvier",
    "mars",
    "juillet",
    "août",
    "préparer",
    "réviser",
    "apprendre",
    "comprendre",
    "expliquer",
    "comparer",
    "décrire",
    "justifier",
    "calculer",
    "tracer",
    "mesurer",
    "observer",
    "expérimenter",
    "rédiger",
    "résumer",
    "présenter",
    "rendre",
    "corriger",
    "lire",
    "écouter",
    "répéter",
    "chercher",
    "trouver",
    "vérifier",
    "conclure",
    "important",
    "difficile",
    "facile",
    "intéressant",
    "nouveau",
    "ancien",
    "grand",
    "petit",
    "premier",
    "dernier",
    "prochain",
    "rapide",
    "lent",
];

fn text(rng: &mut rand_chacha::ChaCha8Rng, title: &str) -> String {
    let n = rng.random_range(80..400);
    let mut out = String::with_capacity(n * 9 + title.len() + 4);
    out.push_str(title);
    out.push_str("\n\n");
    for i in 0..n {
        if i > 0 {
            out.push(if i % 14 == 0 { '\n' } else { ' ' });
        }
        out.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    out.push('\n');
    out
}

/// A long text of about `bytes` bytes, laid out like a chapter or a regulation: numbered
/// parts, paragraphs of sentences.
fn long_text(rng: &mut rand_chacha::ChaCha8Rng, title: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 200);
    out.push_str(title);
    out.push_str("\n\n");
    let mut part = 0;
    while out.len() < bytes {
        part += 1;
        out.push_str(&format!(
            "Partie {part} — {} et {}\n\n",
            WORDS[rng.random_range(0..WORDS.len())],
            WORDS[rng.random_range(0..WORDS.len())]
        ));
        for _ in 0..rng.random_range(3..8) {
            for _ in 0..rng.random_range(3..9) {
                let n = rng.random_range(6..22);
                for i in 0..n {
                    let word = WORDS[rng.random_range(0..WORDS.len())];
                    if i == 0 {
                        let mut chars = word.chars();
                        if let Some(first) = chars.next() {
                            out.extend(first.to_uppercase());
                            out.push_str(chars.as_str());
                        }
                    } else {
                        out.push(' ');
                        out.push_str(word);
                    }
                }
                out.push_str(if rng.random_range(0..6) == 0 {
                    " ? "
                } else {
                    ". "
                });
            }
            out.push_str("\n\n");
        }
    }
    out
}

fn title(rng: &mut rand_chacha::ChaCha8Rng, kind: &str) -> String {
    let a = WORDS[rng.random_range(0..WORDS.len())];
    let b = WORDS[rng.random_range(0..WORDS.len())];
    format!("{kind} {a} {b} {}", rng.random_range(1..100))
}

struct Seeder<'a> {
    store: &'a Store,
    blobs: BlobStore,
    rng: rand_chacha::ChaCha8Rng,
    limits: Limits,
    now: jiff::Timestamp,
    made: usize,
}

impl Seeder<'_> {
    fn put(&mut self, actor: &Actor, space: Space, kind: &str, n: usize) -> Result<Vec<u64>> {
        self.put_texts(actor, space, None, kind, n, None)
    }

    /// `n` long documents (5–100 KB of text, sizes spread evenly on a log scale), in a folder
    /// of their own (the space's first page, which the benchmark loads, keeps its length).
    fn put_long(&mut self, actor: &Actor, space: Space, kind: &str, n: usize) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        let folder = service::create_folder(
            self.store,
            actor,
            space,
            None,
            &format!("{kind}s"),
            self.now,
        )
        .map_err(|e| anyhow::anyhow!("folder: {e}"))?;
        for _ in 0..n {
            let bytes = (5_000.0 * 20f64.powf(self.rng.random::<f64>())) as usize;
            self.put_texts(actor, space, Some(folder), kind, 1, Some(bytes))?;
        }
        Ok(())
    }

    fn put_texts(
        &mut self,
        actor: &Actor,
        space: Space,
        parent: Option<crate::model::documents::NodeId>,
        kind: &str,
        n: usize,
        long: Option<usize>,
    ) -> Result<Vec<u64>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let mut files = Vec::with_capacity(n);
        for _ in 0..n {
            let t = title(&mut self.rng, kind);
            let body = match long {
                Some(bytes) => long_text(&mut self.rng, &t, bytes),
                None => text(&mut self.rng, &t),
            };
            let (blob, size) = self.blobs.put_bytes(body.as_bytes())?;
            files.push(Uploaded {
                name: format!("{t}.txt"),
                blob,
                size,
            });
        }
        let stored = service::store_files(
            self.store,
            actor,
            space,
            parent,
            &files,
            &self.limits,
            self.now,
        )
        .map_err(|e| anyhow::anyhow!("store: {e}"))?;
        self.made += stored.len();
        Ok(stored.iter().map(|s| s.node().0).collect())
    }
}

fn actor(store: &Store, id: PersonId) -> Result<Actor> {
    load_actor(&store.read()?, id)?.with_context(|| format!("no person {}", id.0))
}

/// Runs it.
// A benchmark measures real elapsed time, not the domain's clock.
#[allow(clippy::disallowed_methods)]
pub fn run(config: &Config, clock: SharedClock, args: &SeedDocuments) -> Result<()> {
    let store = super::open_store(config, clock.clone())?;
    let establishments: Vec<EstablishmentId> = {
        let read = store.read()?;
        let mut out = Vec::new();
        for row in read.range(&ESTABLISHMENTS, ..)? {
            out.push(row?.0);
        }
        out
    };
    anyhow::ensure!(
        !establishments.is_empty(),
        "no establishment: generate the demo first"
    );
    let mut seeder = Seeder {
        store: &store,
        blobs: BlobStore::new(&config.data_dir, clock.clone()),
        rng: rand_chacha::ChaCha8Rng::seed_from_u64(7),
        limits: Limits {
            max_file: u64::MAX,
            quota_pupil: u64::MAX,
            quota_parent: u64::MAX,
            quota_staff: u64::MAX,
        },
        now: clock.now(),
        made: 0,
    };
    // Shares of the count: ~50% class worksheets, ~33% pupils' work, ~12% teachers' own,
    // ~5% establishment documents.
    let target = args.count;
    let per_est = target.div_ceil(establishments.len());
    let started = Instant::now();
    let mut shared = 0usize;
    let mut sample: Option<(PersonId, PersonId, PersonId, u64, EstablishmentId)> = None;
    for e in &establishments {
        let est_start = seeder.made;
        let read = store.read()?;
        let mut classes = Vec::new();
        for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(*e,))? {
            classes.push(row?.0.1);
        }
        // The local administrator, else a staff member (role code 4), writes the
        // establishment's documents.
        let mut admin = None;
        for code in [Role::AdminLocal.code(), 4u8] {
            if admin.is_none()
                && let Some(row) = read.scan_prefix(&ESTABLISHMENT_PEOPLE, &(*e, code))?.next()
            {
                admin = Some(row?.0.2);
            }
        }
        drop(read);
        if classes.is_empty() {
            continue;
        }
        let class_share = per_est / 2 / classes.len();
        let pupil_share = per_est / 3 / classes.len();
        let teacher_share = per_est * 12 / 100 / classes.len();
        for class in &classes {
            let read = store.read()?;
            let mut pupils = Vec::new();
            for row in read.scan_prefix(&CLASS_STUDENTS, &(*class,))? {
                pupils.push(row?.0.1);
            }
            let mut teachers = Vec::new();
            for row in read.scan_prefix(&CLASS_TEACHINGS, &(*class,))? {
                let teaching = row?.0.1;
                if let Some(t) = read.get(&TEACHINGS, &teaching)?
                    && matches!(t.audience, Audience::Class(_))
                    && !teachers.contains(&t.teacher)
                {
                    teachers.push(t.teacher);
                }
            }
            drop(read);
            let Some(&teacher) = teachers.first() else {
                continue;
            };
            let teacher_actor = actor(&store, teacher)?;
            seeder.put(&teacher_actor, Space::Class(*class), "Fiche", class_share)?;
            seeder.put(
                &teacher_actor,
                Space::Personal(teacher),
                "Préparation",
                teacher_share,
            )?;
            if pupils.is_empty() {
                continue;
            }
            // Pupils' own work, four files per pupil until this class's share is made.
            let mut left = pupil_share;
            for (i, pupil) in pupils.iter().enumerate() {
                if left == 0 {
                    break;
                }
                let n = left.min(4);
                left -= n;
                let pupil_actor = actor(&store, *pupil)?;
                let ids = seeder.put(&pupil_actor, Space::Personal(*pupil), "Travail", n)?;
                if i % 4 == 0
                    && let Some(first) = ids.first()
                {
                    let grantee = if i % 8 == 0 {
                        Grantee::Person(teacher)
                    } else {
                        Grantee::Person(pupils[(i + 1) % pupils.len()])
                    };
                    if shares::share(
                        &store,
                        &pupil_actor,
                        crate::model::documents::NodeId(*first),
                        grantee,
                        ShareRight::Read,
                        seeder.now,
                    )
                    .is_ok()
                    {
                        shared += 1;
                    }
                }
            }
            if sample.is_none()
                && let (Some(&pupil), Some(a)) = (pupils.first(), admin)
            {
                sample = Some((pupil, teacher, a, class.0, *e));
            }
        }
        // The establishment's documents: what is left of its share.
        if let Some(a) = admin {
            let left = per_est.saturating_sub(seeder.made - est_start);
            let admin_actor = actor(&store, a)?;
            let mut left = left;
            while left > 0 {
                let n = left.min(200);
                left -= n;
                seeder.put(&admin_actor, Space::Establishment(*e), "Document", n)?;
            }
        }
        if seeder.made >= target {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "seeded {} documents ({shared} shared) in {seconds:.1} s ({:.0} documents/s)",
        seeder.made,
        seeder.made as f64 / seconds.max(1e-9)
    );
    if let Some((_, teacher, admin, class, establishment)) = sample
        && args.long > 0
    {
        // Six in ten in the class's space, two in its teacher's own, two in the establishment's.
        let started = Instant::now();
        let made = seeder.made;
        let (in_class, own) = (args.long * 6 / 10, args.long * 2 / 10);
        let teacher_actor = actor(&store, teacher)?;
        let class_space = Space::Class(crate::model::directory::ClassId(class));
        seeder.put_long(&teacher_actor, class_space, "Chapitre", in_class)?;
        seeder.put_long(&teacher_actor, Space::Personal(teacher), "Cours", own)?;
        seeder.put_long(
            &actor(&store, admin)?,
            Space::Establishment(establishment),
            "Règlement",
            args.long - in_class - own,
        )?;
        println!(
            "seeded {} long documents (5–100 KB of text) in {:.1} s",
            seeder.made - made,
            started.elapsed().as_secs_f64()
        );
    }
    if let Some((pupil, teacher, admin, class, _)) = sample {
        println!("class classe-{class}");
        let read = store.read()?;
        for (role, id) in [("pupil", pupil), ("teacher", teacher), ("admin", admin)] {
            let login = read.get(&PEOPLE, &id)?.map(|p| p.login).unwrap_or_default();
            println!("{role} {login} {}", id.0);
        }
    }
    Ok(())
}
