//! The region demo (issue 5 §6): the seed's Auvergne deployment, 48 fictitious establishments
//! of the académie de Clermont-Ferrand in its four départements (Allier 03, Cantal 15,
//! Haute-Loire 43, Puy-de-Dôme 63).
//!
//! The region is cut into 14 sectors: sector 0 is the school demo itself (collège Les Dômes and
//! lycée Marie-Marvingt, with the fixed accounts), and each of the 13 others is a lycée with the
//! two or three collèges around it (34 collèges and 14 lycées in all). Each sector is drawn from
//! its own seed and written in its own transaction.

use super::plan::{EstablishmentSpec, SEED, SectorSpec, school_sector};
use crate::model::directory::EstablishmentKind;

/// One region sector beyond the school demo: its département, its lycée and its collèges
/// (name, town).
struct SectorTable {
    departement: &'static str,
    lycee: (&'static str, &'static str),
    colleges: &'static [(&'static str, &'static str)],
}

/// The 13 sectors after the school demo (fictitious establishments in real towns).
const SECTORS: [SectorTable; 13] = [
    SectorTable {
        departement: "63",
        lycee: ("Lycée Livradois-Forez", "Ambert"),
        colleges: &[
            ("Collège Les Hautes-Chaumes", "Ambert"),
            ("Collège La Dore", "Arlanc"),
        ],
    },
    SectorTable {
        departement: "63",
        lycee: ("Lycée de la Chaîne-des-Puys", "Clermont-Ferrand"),
        colleges: &[
            ("Collège Les Volcans", "Clermont-Ferrand"),
            ("Collège Le Puy-de-Côme", "Chamalières"),
            ("Collège La Gentiane", "Aubière"),
        ],
    },
    SectorTable {
        departement: "63",
        lycee: ("Lycée Val-d'Allier", "Issoire"),
        colleges: &[
            ("Collège Le Lembron", "Saint-Germain-Lembron"),
            ("Collège Les Couzes", "Champeix"),
            ("Collège Les Coteaux", "Brassac-les-Mines"),
        ],
    },
    SectorTable {
        departement: "63",
        lycee: ("Lycée Les Couteliers", "Thiers"),
        colleges: &[
            ("Collège La Durolle", "Thiers"),
            ("Collège Les Bois-Noirs", "Courpière"),
            ("Collège La Limagne", "Lezoux"),
        ],
    },
    SectorTable {
        departement: "63",
        lycee: ("Lycée Les Combrailles", "Saint-Éloy-les-Mines"),
        colleges: &[
            ("Collège La Sioule", "Saint-Gervais-d'Auvergne"),
            ("Collège Les Méandres", "Pontgibaud"),
        ],
    },
    SectorTable {
        departement: "03",
        lycee: ("Lycée du Bocage", "Moulins"),
        colleges: &[
            ("Collège Les Tilleuls", "Yzeure"),
            ("Collège La Besbre", "Dompierre-sur-Besbre"),
            ("Collège Les Bruyères", "Bourbon-l'Archambault"),
        ],
    },
    SectorTable {
        departement: "03",
        lycee: ("Lycée Cher-et-Forêt", "Montluçon"),
        colleges: &[
            ("Collège Le Tronçais", "Cérilly"),
            ("Collège Les Genêts", "Commentry"),
            ("Collège Le Val-de-Cher", "Montluçon"),
        ],
    },
    SectorTable {
        departement: "03",
        lycee: ("Lycée Les Sources", "Vichy"),
        colleges: &[
            ("Collège La Montagne-Bourbonnaise", "Le Mayet-de-Montagne"),
            ("Collège Les Acacias", "Cusset"),
        ],
    },
    SectorTable {
        departement: "43",
        lycee: ("Lycée du Mont-Mézenc", "Le Puy-en-Velay"),
        colleges: &[
            ("Collège Les Orgues", "Espaly-Saint-Marcel"),
            ("Collège Le Meygal", "Yssingeaux"),
            ("Collège La Borne", "Saint-Paulien"),
        ],
    },
    SectorTable {
        departement: "43",
        lycee: ("Lycée Les Gorges-de-l'Allier", "Brioude"),
        colleges: &[
            ("Collège La Margeride", "Langeac"),
            ("Collège La Senouire", "La Chaise-Dieu"),
        ],
    },
    SectorTable {
        departement: "43",
        lycee: ("Lycée Le Haut-Lignon", "Monistrol-sur-Loire"),
        colleges: &[
            ("Collège Les Sucs", "Sainte-Sigolène"),
            ("Collège La Semène", "Aurec-sur-Loire"),
        ],
    },
    SectorTable {
        departement: "15",
        lycee: ("Lycée Le Plomb-du-Cantal", "Aurillac"),
        colleges: &[
            ("Collège La Jordanne", "Aurillac"),
            ("Collège La Châtaigneraie", "Maurs"),
            ("Collège Les Burons", "Vic-sur-Cère"),
        ],
    },
    SectorTable {
        departement: "15",
        lycee: ("Lycée La Planèze", "Saint-Flour"),
        colleges: &[
            ("Collège Les Estives", "Murat"),
            ("Collège Le Puy-Mary", "Riom-ès-Montagnes"),
        ],
    },
];

/// INE serial numbers of region sector `s` (from 1) start at `INE_BASE + s × INE_STRIDE`: below
/// the school demo's 9999990000 and never overlapping (a sector has fewer than 5 000 pupils).
const INE_BASE: u64 = 9_999_900_000;
const INE_STRIDE: u64 = 5_000;

/// The UAI key letter of a 7-digit number (the Éducation nationale's rule: the remainder of
/// the division by 23, as a letter without I, O and Q).
fn uai_key(number: u32) -> char {
    const KEYS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    char::from(KEYS[(number % 23) as usize])
}

/// A region UAI: the département on three digits, then `9` and a serial number from 101.
fn uai(departement: &str, serial: u32) -> String {
    let digits = format!("0{departement}9{serial:03}");
    let number = digits.parse::<u32>().unwrap_or(0);
    format!("{digits}{}", uai_key(number))
}

/// The region's sectors, the school demo's first.
pub(super) fn sectors() -> Vec<SectorSpec> {
    let mut out = vec![school_sector()];
    let mut serial = 100;
    for (s, table) in (1u64..).zip(&SECTORS) {
        let mut establishments = Vec::new();
        let colleges = table
            .colleges
            .iter()
            .map(|c| (*c, EstablishmentKind::College));
        let lycee = std::iter::once((table.lycee, EstablishmentKind::LyceeGeneral));
        for ((name, town), kind) in colleges.chain(lycee) {
            serial += 1;
            establishments.push(EstablishmentSpec {
                uai: uai(table.departement, serial),
                name: name.to_owned(),
                kind,
                town: town.to_owned(),
            });
        }
        out.push(SectorSpec {
            seed: SEED + s,
            school: false,
            establishments,
            ine_base: INE_BASE + s * INE_STRIDE,
            // Only secondary-school brothers and sisters count, and many study outside the
            // sector: fewer of them than in the school demo.
            siblings: [95, 99],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::service::is_uai;

    #[test]
    fn the_region_has_48_establishments_with_distinct_valid_uais() {
        let sectors = sectors();
        assert_eq!(sectors.len(), 14);
        let all: Vec<&EstablishmentSpec> = sectors.iter().flat_map(|s| &s.establishments).collect();
        assert_eq!(all.len(), 48);
        let colleges = all
            .iter()
            .filter(|e| e.kind == EstablishmentKind::College)
            .count();
        assert_eq!((colleges, all.len() - colleges), (34, 14));
        let mut uais: Vec<&str> = all.iter().map(|e| e.uai.as_str()).collect();
        assert!(uais.iter().all(|u| is_uai(u)), "{uais:?}");
        for dep in ["003", "015", "043", "063"] {
            assert!(uais.iter().any(|u| u.starts_with(dep)), "{dep}");
        }
        uais.sort_unstable();
        uais.dedup();
        assert_eq!(uais.len(), 48);
        let mut names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 48);
    }

    #[test]
    fn uai_keys_follow_the_rule() {
        // 0630001 = 23 × 27391 + 8 → J (the ninth letter without I).
        assert_eq!(uai_key(630_001), 'J');
        assert_eq!(uai("03", 101), format!("0039101{}", uai_key(39_101)));
    }
}
