//! What the demo collège and lycée teach: disciplines with their number of teachers, subjects
//! (with the académie's BCN code where known), levels with their classes, ages and options.

/// A subject and the discipline whose teachers teach it.
#[derive(Debug, Clone, Copy)]
pub(super) struct SubjectSpec {
    pub name: &'static str,
    pub code: Option<&'static str>,
    pub discipline: usize,
}

const fn subject(name: &'static str, code: Option<&'static str>, discipline: usize) -> SubjectSpec {
    SubjectSpec {
        name,
        code,
        discipline,
    }
}

/// Collège disciplines with their number of teachers (45 in all).
pub(super) const COLLEGE_DISCIPLINES: [usize; 12] = [
    7, // 0 lettres (français, latin)
    6, // 1 mathématiques
    5, // 2 histoire-géographie
    5, // 3 anglais
    3, // 4 espagnol
    1, // 5 allemand
    3, // 6 SVT
    3, // 7 physique-chimie
    3, // 8 technologie
    2, // 9 arts plastiques
    2, // 10 éducation musicale
    5, // 11 EPS
];

// Codes are the académie's (BCN) subject codes where known.
pub(super) const COLLEGE_SUBJECTS: &[SubjectSpec] = &[
    subject("Français", Some("020700"), 0),
    subject("Mathématiques", Some("061300"), 1),
    subject("Histoire-géographie", Some("040600"), 2),
    subject("Anglais LV1", Some("030201"), 3),
    subject("Espagnol LV2", Some("030602"), 4),
    subject("Allemand LV2", Some("030102"), 5),
    subject("Latin", None, 0),
    subject("Sciences de la vie et de la Terre", None, 6),
    subject("Physique-chimie", None, 7),
    subject("Technologie", None, 8),
    subject("Arts plastiques", None, 9),
    subject("Éducation musicale", None, 10),
    subject("Éducation physique et sportive", Some("100100"), 11),
];
pub(super) const C_ESPAGNOL: usize = 4;
pub(super) const C_ALLEMAND: usize = 5;
pub(super) const C_LATIN: usize = 6;
const COLLEGE_CLASS_SUBJECTS: &[usize] = &[0, 1, 2, 3, 7, 8, 9, 10, 11, 12];

/// Lycée disciplines with their number of teachers (45 in all).
pub(super) const LYCEE_DISCIPLINES: [usize; 12] = [
    4, // 0 lettres
    2, // 1 philosophie
    6, // 2 mathématiques
    5, // 3 histoire-géographie
    5, // 4 anglais
    3, // 5 espagnol
    2, // 6 allemand
    3, // 7 SES
    5, // 8 physique-chimie
    4, // 9 SVT
    2, // 10 informatique
    4, // 11 EPS
];

pub(super) const LYCEE_SUBJECTS: &[SubjectSpec] = &[
    subject("Français", Some("020700"), 0),
    subject("Philosophie", None, 1),
    subject("Mathématiques", Some("061300"), 2),
    subject("Histoire-géographie", Some("040600"), 3),
    subject("Anglais LV1", Some("030201"), 4),
    subject("Espagnol LV2", Some("030602"), 5),
    subject("Allemand LV2", Some("030102"), 6),
    subject("Sciences économiques et sociales", None, 7),
    subject("Physique-chimie", None, 8),
    subject("Sciences de la vie et de la Terre", None, 9),
    subject("Sciences numériques et technologie", None, 10),
    subject("Éducation physique et sportive", Some("100100"), 11),
    subject("Enseignement scientifique", None, 8),
    subject(
        "Histoire-géographie, géopolitique et sciences politiques",
        None,
        3,
    ),
    subject("Humanités, littérature et philosophie", None, 1),
    subject(
        "Langues, littératures et cultures étrangères – anglais",
        None,
        4,
    ),
    subject("Numérique et sciences informatiques", None, 10),
];
pub(super) const L_ESPAGNOL: usize = 5;
pub(super) const L_ALLEMAND: usize = 6;

/// Spécialités: subject, short name for groups, weight of the choice.
pub(super) const SPECIALITES: [(usize, &str, u32); 8] = [
    (2, "mathématiques", 60),
    (8, "physique-chimie", 40),
    (9, "SVT", 38),
    (7, "SES", 35),
    (13, "HGGSP", 30),
    (14, "HLP", 12),
    (15, "LLCER anglais", 18),
    (16, "NSI", 12),
];

/// One level of an establishment.
pub(super) struct LevelSpec {
    pub level: &'static str,
    /// Class names: `prefix` + suffix.
    pub prefix: &'static str,
    pub suffixes: &'static [&'static str],
    pub sizes: std::ops::RangeInclusive<usize>,
    /// Age reached during the calendar year the school year starts in.
    pub age: i16,
    pub class_subjects: &'static [usize],
    pub lv2: bool,
    pub latin: bool,
    pub specialites: usize,
}

static COLLEGE_LEVELS: [LevelSpec; 4] = {
    const S: &[&str] = &["A", "B", "C", "D", "E", "F"];
    const fn level(
        level: &'static str,
        prefix: &'static str,
        age: i16,
        options: bool,
    ) -> LevelSpec {
        LevelSpec {
            level,
            prefix,
            suffixes: S,
            sizes: 23..=27,
            age,
            class_subjects: COLLEGE_CLASS_SUBJECTS,
            lv2: options,
            latin: options,
            specialites: 0,
        }
    }
    [
        level("6e", "6", 11, false),
        level("5e", "5", 12, true),
        level("4e", "4", 13, true),
        level("3e", "3", 14, true),
    ]
};

static LYCEE_LEVELS: [LevelSpec; 3] = [
    LevelSpec {
        level: "2nde",
        prefix: "2nde",
        suffixes: &["1", "2", "3", "4", "5", "6", "7"],
        sizes: 29..=33,
        age: 15,
        class_subjects: &[0, 2, 3, 4, 7, 8, 9, 10, 11],
        lv2: true,
        latin: false,
        specialites: 0,
    },
    LevelSpec {
        level: "1re",
        prefix: "1re",
        suffixes: &["1", "2", "3", "4", "5", "6"],
        sizes: 30..=34,
        age: 16,
        class_subjects: &[0, 3, 4, 12, 11],
        lv2: true,
        latin: false,
        specialites: 3,
    },
    LevelSpec {
        level: "Tle",
        prefix: "Tle",
        suffixes: &["1", "2", "3", "4", "5", "6"],
        sizes: 30..=34,
        age: 17,
        class_subjects: &[1, 3, 4, 12, 11],
        lv2: true,
        latin: false,
        specialites: 2,
    },
];

/// The levels of a collège (`college`) or of a lycée.
pub(super) fn levels(college: bool) -> &'static [LevelSpec] {
    if college {
        &COLLEGE_LEVELS
    } else {
        &LYCEE_LEVELS
    }
}

pub(super) fn level_of(college: bool, level: &str) -> Option<&'static LevelSpec> {
    levels(college).iter().find(|l| l.level == level)
}

/// Class name suffixes of the region's collèges, whose levels have up to 12 classes.
pub(super) const LETTERS: [&str; 12] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"];
/// Class name suffixes of the region's lycées, whose levels have up to 20 classes.
pub(super) const NUMBERS: [&str; 20] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20",
];

/// The number of classes of the school demo's collège (6 per level) and lycée (7 + 6 + 6), by
/// which a region establishment's teachers are scaled.
pub(super) fn reference_classes(college: bool) -> usize {
    levels(college).iter().map(|l| l.suffixes.len()).sum()
}
