#!/usr/bin/env python3
"""Deterministic generator of an AAF "Complet" export at the region demo's size (issue 5).

    python3 scripts/bench.d/gen_aaf.py OUT_DIR [--scale 1.0] [--seed 2026]

Writes, for each of 48 fictitious establishments (34 collèges and 14 lycées in 14 sectors of a
lycée and its collèges), the five files of one académie delivery, named and shaped exactly like
shared/fixtures/aaf/ (see shared/fixtures/README.md §1):

    ENT2D_<UAI>_Complet_20250901_{EtabEducNat,MatiereEducNat,PersEducNat,PersRelEleve,Eleve}_0000.xml

At --scale 1: about 40,000 students, 70,000 relatives and 4,000 staff (3,000 of them teachers),
1,600 classes and 1,000 groups. Everything is invented: names come from a small list, ids start
with 999999, e-mail domains end in .example, phone numbers are in the 04 65 71 / 06 39 98 blocks
set aside for fiction. Same arguments, same bytes (Python's seeded random.Random, standard
library only). A relative whose children are in two establishments of a sector (a collège and its
lycée) is written once, in the PersRelEleve file of the first child's establishment: the
importer reads every PersRelEleve file before any Eleve file.

Prints the counts on stdout.
"""

import argparse
import math
import os
import random
import sys
import unicodedata

DATE = "20250901"

GIRLS = ["Léa", "Emma", "Chloé", "Inès", "Manon", "Jade", "Louise", "Camille", "Zoé", "Lina",
         "Clara", "Juliette", "Ambre", "Maëlys", "Océane", "Héloïse", "Noémie", "Salomé", "Anaïs",
         "Élise", "Thaïs", "Lilou", "Mathilde", "Célia", "Aïcha", "Éloïse", "Clémence", "Nour"]
BOYS = ["Lucas", "Hugo", "Louis", "Gabriel", "Jules", "Nathan", "Arthur", "Raphaël", "Adam",
        "Théo", "Ethan", "Noah", "Enzo", "Maël", "Timéo", "Yanis", "Noé", "Mattéo", "Léo",
        "Clément", "Baptiste", "Évan", "Loïc", "Gaël", "Côme", "Aurélien", "Mehdi", "Titouan"]
WOMEN = ["Nathalie", "Sandrine", "Stéphanie", "Isabelle", "Valérie", "Céline", "Sophie",
         "Aurélie", "Émilie", "Julie", "Séverine", "Delphine", "Élodie", "Mélanie", "Hélène",
         "Samira", "Véronique", "Gaëlle", "Agnès", "Cécile", "Nadège", "Bérénice", "Maïté",
         "Bénédicte", "Karine", "Fatima"]
MEN = ["Nicolas", "Sébastien", "Julien", "Stéphane", "Christophe", "Frédéric", "Jérôme",
       "Cédric", "Laurent", "Olivier", "Grégory", "Thierry", "Hervé", "Rémi", "Karim", "Loïc",
       "Benoît", "Jean-François", "Pascal", "Mickaël", "Yohann", "Hakim", "Fabien", "Ludovic"]
SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "Roux",
            "Fournier", "Girard", "André", "Lefèvre", "Mercier", "Bonnet", "François",
            "Fontaine", "Chevalier", "Gauthier", "Perrin", "Clément", "Guérin", "Bergeron",
            "Lecœur", "Roussel", "Chastagnol", "Vialle", "Delmas", "Faure", "Bouchet", "Vernière",
            "Chabrol", "Mallet", "Brugière", "Aubert", "Tixier", "Pélissier", "Crégut", "Rouchon",
            "Besson", "Chauvet", "Roche", "Dufour", "Benali", "N'Diaye", "Da Silva", "Pons-Rouvière",
            "Ferrand", "Périer", "Tessier", "Masson", "Favier", "Renaud", "Goutte", "Maury",
            "Boyer", "Vidal", "Jouve", "Chassaing", "Amblard", "Sauvat", "Monteil", "Coudert",
            "Nguyen", "Traoré", "Haddad", "Mendes", "Ozturk", "D'Aurelle", "Lhéritier",
            "Sabatier", "Teyssèdre", "Bataille"]

# (code, label, discipline code, discipline, category "nn$NAME")
SUBJECTS = [
    ("020700", "FRANÇAIS", "L0202", "LETTRES MODERNES", "02$LETTRES"),
    ("020300", "LATIN", "L0201", "LETTRES CLASSIQUES", "02$LETTRES"),
    ("030201", "ANGLAIS LV1", "L0422", "ANGLAIS", "04$LANGUES VIVANTES"),
    ("030602", "ESPAGNOL LV2", "L0426", "ESPAGNOL", "04$LANGUES VIVANTES"),
    ("030302", "ALLEMAND LV2", "L0421", "ALLEMAND", "04$LANGUES VIVANTES"),
    ("040600", "HISTOIRE-GÉOGRAPHIE", "L1000", "HISTOIRE GÉOGRAPHIE", "10$HISTOIRE GEOGRAPHIE"),
    ("061300", "MATHÉMATIQUES", "L1300", "MATHÉMATIQUES", "13$MATHEMATIQUES"),
    ("070200", "PHYSIQUE-CHIMIE", "L1500", "PHYSIQUE CHIMIE", "15$PHYSIQUE CHIMIE"),
    ("080100", "SCIENCES DE LA VIE ET DE LA TERRE", "L1600", "SVT", "16$SVT"),
    ("090100", "TECHNOLOGIE", "L1400", "TECHNOLOGIE", "14$TECHNOLOGIE"),
    ("110100", "ARTS PLASTIQUES", "L1800", "ARTS PLASTIQUES", "18$ARTS PLASTIQUES"),
    ("120100", "ÉDUCATION MUSICALE", "L1700", "ÉDUCATION MUSICALE", "17$EDUCATION MUSICALE"),
    ("050100", "SCIENCES ÉCONOMIQUES ET SOCIALES", "L1100", "SES", "11$SES"),
    ("010100", "PHILOSOPHIE", "L0100", "PHILOSOPHIE", "01$PHILOSOPHIE"),
    ("100100", "ÉDUCATION PHYSIQUE ET SPORTIVE", "L1900", "EPS", "19$EPS"),
]
SUBJECT = {s[0]: s for s in SUBJECTS}

# Levels: (class code prefix, MEF code, MEF label, birth year, subjects of the whole class)
COLLEGE_COMMON = ["020700", "030201", "040600", "061300", "070200", "080100", "090100",
                  "110100", "120100", "100100"]
COLLEGE_LEVELS = [
    ("6", "10010012110", "6EME", 2014, COLLEGE_COMMON),
    ("5", "10110001110", "5EME", 2013, COLLEGE_COMMON),
    ("4", "10210001110", "4EME", 2012, COLLEGE_COMMON),
    ("3", "10310019110", "3EME", 2011, COLLEGE_COMMON),
]
LYCEE_LEVELS = [
    ("2NDE", "20010018110", "2NDE GENERALE ET TECHNO.", 2010,
     ["020700", "030201", "030602", "040600", "061300", "070200", "080100", "050100", "100100"]),
    ("1G", "20111010110", "1ERE GENERALE", 2009,
     ["020700", "030201", "030602", "040600", "100100"]),
    ("TG", "20211010110", "TERMINALE GENERALE", 2008,
     ["010100", "030201", "030602", "040600", "100100"]),
]
# Lycée spécialités (groups of 1re and Tle): code in group names → subject code.
SPECIALITES = [("MATHS", "061300"), ("PC", "070200"), ("SVT", "080100"), ("SES", "050100"),
               ("HGGSP", "040600")]

SECTOR_TOWNS = [
    ("AMBERT", ["ARLANC", "AMBERT"]),
    ("CLERMONT-FERRAND", ["CLERMONT-FERRAND", "CHAMALIERES", "AUBIERE"]),
    ("ISSOIRE", ["ST GERMAIN LEMBRON", "CHAMPEIX", "BRASSAC LES MINES"]),
    ("THIERS", ["THIERS", "COURPIERE", "LEZOUX"]),
    ("ST ELOY LES MINES", ["ST GERVAIS D'AUVERGNE", "PONTGIBAUD"]),
    ("MOULINS", ["YZEURE", "DOMPIERRE SUR BESBRE", "BOURBON L'ARCHAMBAULT"]),
    ("MONTLUCON", ["CERILLY", "COMMENTRY"]),
    ("VICHY", ["CUSSET", "GANNAT"]),
    ("LE PUY EN VELAY", ["ESPALY", "YSSINGEAUX"]),
    ("BRIOUDE", ["LANGEAC", "PAULHAGUET"]),
    ("MONISTROL SUR LOIRE", ["STE SIGOLENE", "BAS EN BASSET"]),
    ("AURILLAC", ["ARPAJON SUR CERE", "MAURS", "LAROQUEBROU"]),
    ("ST FLOUR", ["MURAT", "CHAUDES AIGUES"]),
    ("RIOM", ["MOZAC", "ENNEZAT", "AIGUEPERSE"]),
]  # 6 sectors of 3 collèges, 8 of 2: 34 collèges, 14 lycées
SCHOOL_NAMES = ["DES VOLCANS", "LES DÔMES", "LA CHAÎNE DES PUYS", "LES GENTIANES", "LA DORE",
                "LES COMBRAILLES", "LE SANCY", "LES CHEIRES", "LE LIVRADOIS", "LA SIOULE",
                "L'ALLAGNON", "LE MÉZENC", "LES GORGES", "LA PLANÈZE", "LE CANTAL", "LA TRUYÈRE",
                "LES BOIS NOIRS", "LA LIMAGNE", "LE BOURBONNAIS", "LA BESBRE", "LE TRONÇAIS",
                "LES SOURCES", "LE FOREZ", "LES MARGERIDES", "LE VELAY", "LA LOIRE",
                "LE LIGNON", "LES CÉZALLIER", "L'ARTENSE", "LE CÉLÉ", "LA JORDANNE", "LE LIORAN",
                "LES ORGUES", "LE PUY MARY", "LA COUZE", "LE LEMBRON", "LES MONTS DU CANTAL",
                "LA DURANDE", "LE PLOMB", "LES TILLEULS", "LES GENÊTS", "L'ÉCLUSE",
                "LES COTEAUX", "LA GARENNE", "LE MARAIS", "LES ÉTANGS", "LA SIAULE", "LES PRÉS"]


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def fold(s):
    """Lowercase ASCII for e-mail addresses: accents dropped, Œ → oe, no spaces or quotes."""
    s = s.replace("œ", "oe").replace("Œ", "OE")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in s.replace(" ", "-") if c.isalnum() or c == "-")


def attr(name, values):
    if not values:
        return f'<attr name="{name}"><value/></attr>'
    return f'<attr name="{name}">' + "".join(f"<value>{esc(v)}</value>" for v in values) + "</attr>"


def record(category_attr, category, ident, attrs):
    lines = [
        "<addRequest>",
        f'<operationalAttributes><attr name="{category_attr}"><value>{category}</value></attr></operationalAttributes>',
        f"<identifier><id>{ident}</id></identifier>",
        "<attributes>",
    ]
    lines += [attr(n, v) for n, v in attrs]
    lines += ["</attributes>", "</addRequest>", ""]
    return "\n".join(lines)


HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'
          "<ficAlimMENESR>\n"
          "<!-- Jeu d'essai Cartable (scripts/bench.d/gen_aaf.py) : données entièrement inventées"
          " (aucune personne réelle, établissements fictifs). -->\n\n")


def write_file(out, uai, category, records):
    path = os.path.join(out, f"ENT2D_{uai}_Complet_{DATE}_{category}_0000.xml")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER)
        for r in records:
            f.write(r)
            f.write("\n")
        f.write("</ficAlimMENESR>\n")


def date(rng, year):
    return f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{year}"


class Gen:
    def __init__(self, scale, seed):
        self.rng = random.Random(seed)
        self.scale = scale
        self.next_id = {1: 0, 2: 0, 3: 0}
        self.emails = {}
        self.phone = 0

    def person_id(self, kind):
        self.next_id[kind] += 1
        return f"999999{kind}{self.next_id[kind]:06d}"

    def email(self, first, last, domain):
        base = f"{fold(first)}.{fold(last)}"
        n = self.emails.get(base, 0) + 1
        self.emails[base] = n
        return f"{base}{n if n > 1 else ''}@{domain}"

    def mobile(self):
        self.phone += 1
        n = self.phone % 10000
        return f"+33 6 39 98 {n // 100:02d} {n % 100:02d}"


def build(scale, seed):
    g = Gen(scale, seed)
    rng = g.rng
    establishments = []
    e_num = 0
    # Establishment sizes: collèges around 590 students, lycées around 1,430 (then scaled).
    for s, (lycee_town, college_towns) in enumerate(SECTOR_TOWNS):
        sector = []
        for kind, town in [("COLLEGE", t) for t in college_towns] + [("LYCEE", lycee_town)]:
            e_num += 1
            base = rng.randrange(420, 760) if kind == "COLLEGE" else rng.randrange(1150, 1710)
            est = {
                "n": e_num, "sector": s, "kind": kind, "town": town,
                "struct": f"999999{e_num:02d}", "uai": f"06399{e_num:02d}Z",
                "name": SCHOOL_NAMES[e_num - 1],
                "base": base,
                "students": [], "relatives": [], "staff": [], "classes": [], "groups": [],
            }
            sector.append(est)
        establishments.extend(sector)
    # Scaled so that the region has 40,000 students in all at --scale 1.
    total = sum(e["base"] for e in establishments)
    for est in establishments:
        est["target"] = max(12, round(est["base"] * 40000 * scale / total))

    # Classes and groups; then students placed in them.
    for est in establishments:
        levels = COLLEGE_LEVELS if est["kind"] == "COLLEGE" else LYCEE_LEVELS
        per_level = [est["target"] // len(levels)] * len(levels)
        for i in range(est["target"] - sum(per_level)):
            per_level[i] += 1
        est["slots"] = []
        for (prefix, mef, label, year, subjects), n in zip(levels, per_level):
            k = max(1, round(n / 26))
            classes = []
            for c in range(k):
                code = f"{prefix}{chr(ord('A') + c)}" if est["kind"] == "COLLEGE" else f"{prefix}{c + 1}"
                cls = {"code": code, "label": label, "mef": mef, "subjects": subjects, "year": year}
                classes.append(cls)
                est["classes"].append(cls)
            groups = {}
            if est["kind"] == "COLLEGE" and prefix != "6":
                for lang, code in [("ESP", "030602"), ("ALL", "030302")]:
                    count = max(1, math.ceil(n * (0.7 if lang == "ESP" else 0.3) / 30))
                    groups[lang] = [{"code": f"{prefix}{lang}{j + 1}", "label": f"{SUBJECT[code][1]} {label}",
                                     "subject": code} for j in range(count)]
                groups["LAT"] = [{"code": f"{prefix}LAT", "label": f"LATIN {label}", "subject": "020300"}]
            elif est["kind"] == "LYCEE" and prefix != "2NDE":
                for spe, code in SPECIALITES:
                    count = max(1, math.ceil(n * 0.4 / 30))
                    groups[spe] = [{"code": f"{prefix}-{spe}{j + 1}", "label": f"SPÉCIALITÉ {SUBJECT[code][1]}",
                                    "subject": code} for j in range(count)]
            for gl in groups.values():
                est["groups"].extend(gl)
            for i in range(n):
                cls = classes[i % k]
                mine = []
                if est["kind"] == "COLLEGE" and groups:
                    lang = "ESP" if rng.random() < 0.7 else "ALL"
                    mine.append(groups[lang][i % len(groups[lang])])
                    if rng.random() < 0.2:
                        mine.append(groups["LAT"][0])
                elif groups:
                    for spe, _ in rng.sample(SPECIALITES, 2):
                        mine.append(groups[spe][i % len(groups[spe])])
                est["slots"].append((cls, mine))

    # Families, sector by sector: slots shuffled so that brothers and sisters may be in the
    # collège and the lycée of a sector.
    sectors = {}
    for est in establishments:
        sectors.setdefault(est["sector"], []).append(est)
    for s in sorted(sectors):
        slots = [(est, cls, groups) for est in sectors[s] for cls, groups in est["slots"]]
        rng.shuffle(slots)
        i = 0
        while i < len(slots):
            r = rng.random()
            size = 3 if r < 0.012 else 2 if r < 0.11 else 1
            children = slots[i:i + size]
            i += size
            family_name = rng.choice(SURNAMES)
            r = rng.random()
            # 85 % two parents, 10 % one, 5 % two parents and a third relative (légal 0).
            adults = []
            mother_name = family_name if rng.random() < 0.75 else rng.choice(SURNAMES)
            if r < 0.85 or r >= 0.95:
                adults.append(("1", rng.choice(MEN), family_name, family_name))
                adults.append(("2", rng.choice(WOMEN), mother_name, rng.choice(SURNAMES)))
            elif rng.random() < 0.7:
                adults.append(("2", rng.choice(WOMEN), family_name, rng.choice(SURNAMES)))
            else:
                adults.append(("1", rng.choice(MEN), family_name, family_name))
            if r >= 0.95:
                adults.append(("4", rng.choice(WOMEN + MEN), rng.choice(SURNAMES), None))
            home = f"+33 4 65 71 {rng.randrange(100):02d} {rng.randrange(100):02d}"
            relatives = []
            for lien, first, last, birth in adults:
                rid = g.person_id(2)
                rel = {
                    "id": rid, "lien": lien, "first": first, "last": last,
                    "birth": birth or last, "born": date(rng, rng.randrange(1968, 1993)),
                    "mail": g.email(first, last, "courriel.example"), "mobile": g.mobile(),
                    "home": home if rng.random() < 0.5 else "", "children": [],
                    "title": "M." if first in MEN else "Mme",
                }
                relatives.append(rel)
            children[0][0]["relatives"].extend(relatives)
            for est, cls, groups in children:
                girl = rng.random() < 0.5
                first = rng.choice(GIRLS if girl else BOYS)
                sid = g.person_id(1)
                est["students"].append({
                    "id": sid, "first": first, "last": family_name, "girl": girl,
                    "other": rng.choice(GIRLS if girl else BOYS),
                    "born": date(rng, cls["year"]), "class": cls, "groups": groups,
                    "relatives": relatives, "attach": f"{500000 + len(est['students']) + 1}",
                    "regime": rng.choice(["DEMI-PENSIONNAIRE DANS L'ÉTABLISSEMENT", "EXTERNE LIBRE",
                                          "DEMI-PENSIONNAIRE DANS L'ÉTABLISSEMENT"]),
                })
                for rel in relatives:
                    rel["children"].append(sid)

    # Staff: direction, CPE, AED, secretariat, nurse, documentation, then teachers for the
    # teachings (about 100 adults per 1,000 students, as in the region demo).
    for est in establishments:
        n_classes = len(est["classes"])
        struct = est["struct"]
        others = ([("DIR", "DIRECTION", None, None)] * 2
                  + [("EDU", "ÉDUCATION", "E0030", "CONSEILLER PRINCIPAL D'ÉDUCATION")] * max(1, n_classes // 16)
                  + [("SUR", "SURVEILLANCE", None, "ASSISTANT D'ÉDUCATION")] * max(2, n_classes // 3)
                  + [("ADF", "PERSONNELS ADMINISTRATIFS", None, "SECRÉTARIAT")] * 2
                  + [("MDS", "MÉDICO-SOCIAL", None, "INFIRMIER")]
                  + [("DOC", "DOCUMENTATION", "L0080", "DOCUMENTATION")])
        # Teachings: (audience kind, audience code, subject).
        teachings = [("class", c["code"], s) for c in est["classes"] for s in c["subjects"]]
        teachings += [("group", gr["code"], gr["subject"]) for gr in est["groups"]]
        n_teachers = max(len({s for _, _, s in teachings}),
                         round(len(est["students"]) * 0.1) - len(others))
        by_subject = {}
        for t in teachings:
            by_subject.setdefault(t[2], []).append(t)
        # Teachers per subject, in proportion to its teachings, at least one each.
        codes = sorted(by_subject)
        share = {c: max(1, round(n_teachers * len(by_subject[c]) / len(teachings))) for c in codes}
        teachers = []
        for code in codes:
            k = share[code]
            items = by_subject[code]
            for j in range(k):
                mine = items[j::k]
                if mine:
                    teachers.append((code, mine))
        heads = {}
        for code, items in teachers:
            for kind, aud, _ in items:
                if kind == "class" and aud not in heads and rng.random() < 0.3:
                    heads[aud] = len(heads)
        staff = []
        for code, items in teachers:
            female = rng.random() < 0.6
            first, last = rng.choice(WOMEN if female else MEN), rng.choice(SURNAMES)
            s = SUBJECT[code]
            classes = sorted({a for k, a, _ in items if k == "class"})
            groups = sorted({a for k, a, _ in items if k == "group"})
            mefs = sorted({(c["mef"], c["label"]) for c in est["classes"] if c["code"] in classes})
            staff.append({
                "id": g.person_id(3), "first": first, "last": last, "female": female,
                "born": date(rng, rng.randrange(1962, 1999)), "teacher": True,
                "attrs_teach": (s, classes, groups, mefs, items),
            })
        # Head teachers: one teacher of each class (the first listed, rotating over subjects).
        head_of = {}
        for c in est["classes"]:
            candidates = [i for i, st in enumerate(staff)
                          if c["code"] in st["attrs_teach"][1]]
            if candidates:
                pick = candidates[len(head_of) % len(candidates)]
                head_of.setdefault(pick, []).append(c["code"])
        for i, st in enumerate(staff):
            st["heads"] = head_of.get(i, [])
        for code, label, dcode, discipline in others:
            female = rng.random() < 0.6
            first, last = rng.choice(WOMEN if female else MEN), rng.choice(SURNAMES)
            staff.append({
                "id": g.person_id(3), "first": first, "last": last, "female": female,
                "born": date(rng, rng.randrange(1962, 2004)), "teacher": False,
                "function": f"{struct}${code}${label}${dcode or ''}${discipline or ''}",
            })
        est["staff"] = staff
    return establishments


def establishment_record(est):
    struct = est["struct"]
    prefix = "CLG" if est["kind"] == "COLLEGE" else "LYC"
    kind = "COLLEGE" if est["kind"] == "COLLEGE" else "LYCEE GENERAL ET TECHNOLOGIQUE"
    return record("categorieStructure", "EtabEducNat", struct, [
        ("ENTStructureJointure", [struct]),
        ("ENTStructureUAI", [est["uai"]]),
        ("ENTEtablissementUAI", [est["uai"]]),
        ("ENTStructureSIREN", []),
        ("ENTStructureNomCourant", [f"{prefix}-{est['name']}-{est['town']}-ac-CLERMONT"]),
        ("ENTStructureTypeStruct", [kind]),
        ("ENTEtablissementMinistereTutelle", ["MINISTERE DE L'EDUCATION NATIONALE"]),
        ("ENTEtablissementContrat", ["PU"]),
        ("postOfficeBox", []),
        ("street", [f"{est['n']} AVENUE DES PUYS"]),
        ("postalCode", [f"639{est['n']:02d}"]),
        ("l", [est["town"]]),
        ("telephoneNumber", [f"+33 4 65 71 00 {est['n']:02d}"]),
        ("facsimileTelephoneNumber", []),
        ("ENTEtablissementStructRattachFctl", []),
        ("ENTEtablissementBassin", []),
        ("ENTServAcAcademie", ["CLERMONT"]),
        ("ENTStructureClasses", [f"{c['code']}${c['label']}${c['mef']}" for c in est["classes"]]),
        ("ENTStructureGroupes", [f"{g['code']}${g['label']}" for g in est["groups"]]),
    ])


def subject_records():
    return [record("categorieMatiere", "Matiere", code, [
        ("ENTMatJointure", [code]),
        ("ENTLibelleMatiere", [label]),
    ]) for code, label, _, _, _ in sorted(SUBJECTS)]


def student_record(est, st):
    struct = est["struct"]
    cls = st["class"]
    rels = st["relatives"]
    legal = [r for r in rels if r["lien"] in ("1", "2")]
    links = []
    for n, r in enumerate(rels):
        if r["lien"] in ("1", "2"):
            rank = legal.index(r) + 1
            links.append(f"{r['id']}${r['lien']}${1 if rank == 1 else 0}${rank}$1$0")
        else:
            links.append(f"{r['id']}${r['lien']}$0$0$1$0")
    subjects = list(cls["subjects"]) + [g["subject"] for g in st["groups"]]
    subjects = sorted(set(subjects), key=lambda c: SUBJECT[c][1])
    return record("categoriePersonne", "Eleve", st["id"], [
        ("ENTPersonJointure", [st["id"]]),
        ("ENTEleveStructRattachId", [st["attach"]]),
        ("ENTPersonDateNaissance", [st["born"]]),
        ("ENTPersonNomPatro", [st["last"].upper()]),
        ("sn", [st["last"].upper()]),
        ("givenName", [st["first"]]),
        ("ENTPersonAutresPrenoms", [st["first"], st["other"]]),
        ("personalTitle", ["Mme" if st["girl"] else "M."]),
        ("ENTEleveParents", [r["id"] for r in legal]),
        ("ENTElevePere", [r["id"] for r in legal if r["lien"] == "1"]),
        ("ENTEleveMere", [r["id"] for r in legal if r["lien"] == "2"]),
        ("ENTEleveAutoriteParentale", [r["id"] for r in legal]),
        ("ENTElevePersRelEleve1", []),
        ("ENTEleveQualitePersRelEleve1", []),
        ("ENTElevePersRelEleve2", []),
        ("ENTEleveQualitePersRelEleve2", []),
        ("ENTElevePersRelEleve", links),
        ("ENTEleveBoursier", ["N"]),
        ("ENTEleveRegime", [st["regime"]]),
        ("ENTEleveTransport", ["N"]),
        ("ENTEleveStatutEleve", ["SCOLAIRE"]),
        ("ENTEleveMEF", [cls["mef"]]),
        ("ENTEleveLibelleMEF", [cls["label"]]),
        ("ENTEleveNivFormation", [cls["label"]]),
        ("ENTEleveFiliere", [cls["label"]]),
        ("ENTEleveEnseignements", [SUBJECT[c][1] for c in subjects]),
        ("ENTEleveCodeEnseignements", subjects),
        ("ENTPersonStructRattach", [struct]),
        ("ENTEleveClasses", [f"{struct}${cls['code']}"]),
        ("ENTEleveGroupes", [f"{struct}${g['code']}" for g in st["groups"]]),
    ])


def relative_record(rel):
    return record("categoriePersonne", "PersRelEleve", rel["id"], [
        ("ENTPersonJointure", [rel["id"]]),
        ("ENTPersonDateNaissance", [rel["born"]]),
        ("ENTPersonNomPatro", [rel["birth"].upper()]),
        ("sn", [rel["last"].upper()]),
        ("givenName", [rel["first"]]),
        ("personalTitle", [rel["title"]]),
        ("homePhone", [rel["home"]] if rel["home"] else []),
        ("telephoneNumber", []),
        ("ENTPersonAdresse", ["7 CHEMIN DES PUYS"]),
        ("ENTPersonCodePostal", ["63999"]),
        ("ENTPersonVille", ["STE FLEUR DES DÔMES"]),
        ("ENTPersonPays", ["FRANCE"]),
        ("ENTPersonAdresseDiffusion", ["N"]),
        ("mobile", [rel["mobile"]]),
        ("mail", [rel["mail"]]),
        ("ENTPersonMobileSMS", [rel["mobile"]]),
        ("ENTAuxPersRelEleveEleve", rel["children"]),
    ])


def staff_record(est, st, gen_email):
    struct = est["struct"]
    attrs = [
        ("ENTPersonJointure", [st["id"]]),
        ("ENTPersonDateNaissance", [st["born"]]),
        ("ENTPersonNomPatro", [st["last"].upper()]),
        ("sn", [st["last"].upper()]),
        ("givenName", [st["first"]]),
        ("personalTitle", ["Mme" if st["female"] else "M."]),
        ("mail", [gen_email(st["first"], st["last"], "ac-clermont.example")]),
        ("ENTPersonStructRattach", [struct]),
    ]
    if st["teacher"]:
        s, classes, groups, mefs, items = st["attrs_teach"]
        code, label, dcode, discipline, category = s
        cat_code, cat_name = category.split("$")
        attrs += [
            ("ENTAuxEnsCategoDiscipline", [category]),
            ("ENTAuxEnsDisciplinesPoste", [f"{cat_name}${cat_code}"]),
            ("ENTAuxEnsMEF", [f"{struct}${m}${lab}" for m, lab in mefs]),
            ("ENTAuxEnsMatiereEnseignEtab", [f"{struct}${label}"]),
            ("ENTAuxEnsClasses", [f"{struct}${c}" for c in classes]),
            ("ENTAuxEnsGroupes", [f"{struct}${g}" for g in groups]),
            ("ENTAuxEnsClassesMatieres", [f"{struct}${a}${c}" for k, a, c in items if k == "class"]),
            ("ENTAuxEnsGroupesMatieres", [f"{struct}${a}${c}" for k, a, c in items if k == "group"]),
            ("ENTAuxEnsClassesPrincipal", [f"{struct}${c}" for c in st["heads"]]),
            ("ENTPersonFonctions", [f"{struct}$ENS$ENSEIGNEMENT${dcode}${discipline}"]),
            ("PersEducNatPresenceDevantEleves", ["O"]),
        ]
    else:
        attrs += [
            ("ENTAuxEnsCategoDiscipline", []),
            ("ENTAuxEnsDisciplinesPoste", []),
            ("ENTAuxEnsMEF", []),
            ("ENTAuxEnsMatiereEnseignEtab", []),
            ("ENTAuxEnsClasses", []),
            ("ENTAuxEnsGroupes", []),
            ("ENTAuxEnsClassesMatieres", []),
            ("ENTAuxEnsGroupesMatieres", []),
            ("ENTAuxEnsClassesPrincipal", []),
            ("ENTPersonFonctions", [st["function"]]),
            ("PersEducNatPresenceDevantEleves", ["N"]),
        ]
    return record("categoriePersonne", "PersEducNat", st["id"], attrs)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", help="output directory (created; must not hold AAF files already)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="size relative to the region (1 = about 40,000 students)")
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    if args.scale <= 0:
        sys.exit("--scale must be positive")
    os.makedirs(args.out, exist_ok=True)
    establishments = build(args.scale, args.seed)
    mails = Gen(1, 0)  # staff addresses: numbered per name, separately from relatives
    totals = {"students": 0, "relatives": 0, "staff": 0, "teachers": 0, "classes": 0, "groups": 0,
              "teachings": 0, "bytes": 0}
    subjects = subject_records()
    for est in establishments:
        uai = est["uai"]
        write_file(args.out, uai, "EtabEducNat", [establishment_record(est)])
        write_file(args.out, uai, "MatiereEducNat", subjects)
        write_file(args.out, uai, "PersEducNat", [staff_record(est, st, mails.email) for st in est["staff"]])
        write_file(args.out, uai, "PersRelEleve", [relative_record(r) for r in est["relatives"]])
        write_file(args.out, uai, "Eleve", [student_record(est, st) for st in est["students"]])
        totals["students"] += len(est["students"])
        totals["relatives"] += len(est["relatives"])
        totals["staff"] += len(est["staff"])
        totals["teachers"] += sum(1 for st in est["staff"] if st["teacher"])
        totals["classes"] += len(est["classes"])
        totals["groups"] += len(est["groups"])
        totals["teachings"] += sum(len(st["attrs_teach"][4]) for st in est["staff"] if st["teacher"])
    for name in os.listdir(args.out):
        totals["bytes"] += os.path.getsize(os.path.join(args.out, name))
    colleges = sum(1 for e in establishments if e["kind"] == "COLLEGE")
    print(f"AAF Complet {DATE}, scale {args.scale}: {len(establishments)} establishments "
          f"({colleges} collèges, {len(establishments) - colleges} lycées), "
          f"{totals['students']} students, {totals['relatives']} relatives, {totals['staff']} staff "
          f"({totals['teachers']} teachers), {totals['classes']} classes, {totals['groups']} groups, "
          f"{totals['teachings']} teachings; {len(establishments) * 5} files, "
          f"{totals['bytes'] / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
