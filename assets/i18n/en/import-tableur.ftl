# Errors and warnings of the spreadsheet import (eleves.csv, parents.csv, enseignants.csv:
# src/domain/import/csv/), each on its line of the file. Column names are the file's header,
# in French in every language.
import-csv-ligne = line { $ligne }: { $message }
import-csv-trop-long = field “{ $colonne }” too long: { $longueur } characters where at most { $max } are allowed (“{ $valeur }”)
import-csv-caractere = field “{ $colonne }”: invalid or unreadable character in “{ $valeur }”; check the file's encoding (save it as “CSV UTF-8”)
import-csv-obligatoire = column “{ $colonne }” is empty; it is required
import-csv-date-future = { $colonne } “{ $valeur }” is in the future: check the year
import-csv-date-format = { $colonne } “{ $valeur }” is not a date (expected DD/MM/YYYY, for example 14/03/2014)
import-csv-date-inexistante = { $colonne } “{ $valeur }” is not a date: this day does not exist (expected DD/MM/YYYY)
import-csv-valeur-invalide = { $colonne } “{ $valeur }” is not valid ({ $attendu }); leave the cell empty if there is none
import-csv-attendu-courriel = expected firstname.lastname@domain.fr
import-csv-attendu-telephone = expected 10 digits like 06 12 34 56 78, or +33 6 12 34 56 78
import-csv-attendu-identifiant = letters and digits only
import-csv-colonne-double = column “{ $colonne }” appears twice in the header; expected header: { $entete }
import-csv-colonne-inconnue = unknown column “{ $colonne }”, ignored
import-csv-colonnes-absentes = { $nombre ->
        [one] column { $colonnes } is missing
       *[other] columns { $colonnes } are missing
    } from the header; expected header: { $entete }
import-csv-en-tete = line 1 must be the header: { $entete }
import-csv-guillemet = unclosed quote: a field that starts with " must end with "; remove this quote or close it
import-csv-guillemet-ouvert = unclosed quote (opened on line { $ouvert }): a field that starts with " must end with "; remove this quote or close it
import-csv-ligne-vide = empty line, skipped
import-csv-champs-manquants = { $champs } fields instead of { $largeur }: { $nombre ->
        [one] missing column
       *[other] missing columns
    } ({ $colonnes }); every line must have as many “{ $separateur }” as the header
import-csv-champs-en-trop = { $champs } fields instead of { $largeur }: one “{ $separateur }” too many? A value that contains “{ $separateur }” must be in quotes
import-csv-illisible = unreadable line
import-csv-eleve-double = same pupil as line { $premiere } (last name, first name, date of birth); delete one of the two lines
import-csv-identifiant-double = national id “{ $identifiant }” already given on line { $premiere }; each pupil has their own
import-csv-lien-inconnu = unknown relation “{ $valeur }” (expected mère, père or tuteur)
import-csv-lien-double = same link as line { $premiere } (parent and child); delete one of the two lines
import-csv-courriel-parent-double = e-mail “{ $courriel }” already given on line { $premiere } to { $prenom } { $nom }; an e-mail belongs to one parent only (leave the cell empty for the other)
import-csv-telephone-different = phone differs from line { $premiere } for the same parent; copy the same one on every line
import-csv-enseignant-double = same teacher as line { $premiere }; put their subjects and classes on one line
import-csv-courriel-enseignant-double = e-mail “{ $courriel }” already given on line { $premiere }; each teacher has their own
import-csv-classes-inconnues = { $nombre ->
        [one] class { $classes } does not exist
       *[other] classes { $classes } do not exist
    } in the establishment; correct the name or create the class first (existing classes: { $existantes })
import-csv-aucune-classe = none

# The report of the spreadsheet import (src/domain/import/csv_apply/), read in the page's
# language, or in French on the command line.
import-texte = { $texte }
import-csv-fichier-lu = File read: encoding { $encodage }, separator “{ $separateur }”, { $nombre ->
        [one] { $nombre } valid line
       *[other] { $nombre } valid lines
    }
import-csv-etablissement-inconnu = unknown establishment: create it before importing
import-csv-classe-inconnue = class “{ $classe }” does not exist
import-csv-eleves-homonymes = { $nombre } pupils of the establishment have this last name, first name and date of birth; there is no telling which (give the national id)
import-csv-ine-autre-etablissement = this INE is that of a pupil of another establishment: their arrival goes through the academy's import or the platform administrator
import-csv-eleve-autre-etablissement = this pupil also belongs to another establishment: their last name, first name, date of birth and INE can only be changed by the platform administrator
import-csv-enfant-introuvable = child { $prenom } { $nom } born on { $date } not found among the establishment's pupils; import the pupils file first, or correct the last name, first name or date
import-csv-enseignants-homonymes = several teachers of the establishment have this last name and first name; give the e-mail
import-csv-eleve-creation = Pupil { $nom } ({ $classe }): created
import-csv-eleve-mise-a-jour = Pupil { $nom } ({ $classe }): updated
import-csv-parent-creation = Parent { $nom }: created
import-csv-lien = Link { $parent } → { $enfant } ({ $lien }): created or updated
import-csv-relation-mere = mother
import-csv-relation-pere = father
import-csv-relation-tuteur = guardian
import-csv-relation-autre = other
import-csv-enseignant-creation = Teacher { $nom }: created
import-csv-enseignant-mise-a-jour = Teacher { $nom }: updated
import-csv-matiere-creation = Subject { $matiere }: created

## Issue 14 (forms): a confirmation sent twice.
import-deja-fait = This confirmation had already been sent: the import was not done again. Here is its summary.

# Issue 14 (text hygiene): a person's name needs a letter.
import-csv-nom-sans-lettre = field “{ $colonne }”: “{ $valeur }” has no letter; a name needs at least one
