# The report of the AAF import (cartable import aaf, src/domain/import/aaf_apply/): what was
# done, the warnings and the errors, each with its file and record.
aaf-erreur = { $fichier }, record { $id }: { $message }
aaf-sorte = { $sorte ->
        [etablissement] School
        [matiere] Subject
        [eleve] Pupil
        [responsable] Relative
       *[personnel] Staff
    }
aaf-ligne-creation = { $quoi } { $id } { $libelle }: created
aaf-ligne-mise-a-jour = { $quoi } { $id } { $libelle }: updated
aaf-ligne-depart = { $quoi } { $id } { $libelle }: left on { $date }
aaf-ligne-groupe = Group { $code }: created
aaf-ligne-classe = Class { $code } ({ $niveau }): created
aaf-etablissement-suppression = { $fichier }, school { $id }: deleting a school is not applied
aaf-structure-inconnue-delta = structure { $id } unknown: import the full export first
aaf-type-inconnu = unknown kind of school: “{ $type }”
aaf-uai-mal-formee = malformed UAI “{ $uai }”
aaf-uai-prise = UAI { $uai } already used by another school
aaf-matiere-suppression = { $fichier }, subject { $code }: deleting a subject is not applied
aaf-matiere-sans-etablissement = no known school to create the subject in: import the EtabEducNat file
aaf-matiere-sans-libelle = subject { $code } unknown and without a label
aaf-structure-inconnue = structure { $id } unknown (neither in the EtabEducNat file nor in an earlier import)
aaf-personne-inconnue = unknown person: the change comes before its creation (import the full export first)
aaf-suppression-inconnue = { $fichier }, record { $id }: deleting an unknown person, ignored
aaf-classe-inconnue = class { $code } unknown in structure { $structure } for year { $annee }
aaf-plusieurs-classes = several classes in structure { $structure } (one per year)
aaf-groupe-inconnu = group { $code } unknown in structure { $structure } for year { $annee }
aaf-responsable-inconnu = { $fichier }, record { $id }: relative { $responsable } unknown, link ignored
aaf-classe-inconnue-enseignement = class { $code } unknown in structure { $structure } (teaching { $matiere })
aaf-groupe-inconnu-enseignement = group { $code } unknown in structure { $structure } (teaching { $matiere })
aaf-classe-inconnue-pp = class { $code } unknown in structure { $structure } (head teacher)
aaf-matiere-inconnue = subject { $code } unknown (missing from the MatiereEducNat file)

# Issue 14 (text hygiene): a person's name needs a letter.
aaf-nom-sans-lettre = attribute { $attribut } “{ $valeur }” has no letter: it is not a name
