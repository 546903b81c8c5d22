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
