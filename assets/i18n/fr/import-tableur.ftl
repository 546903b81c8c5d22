# Les erreurs et avertissements de l'import des tableurs (eleves.csv, parents.csv,
# enseignants.csv : src/domain/import/csv/), chacun sur sa ligne du fichier. Les noms de
# colonnes sont ceux de l'en-tête du fichier, en français dans toutes les langues.
import-csv-ligne = ligne { $ligne } : { $message }
import-csv-trop-long = champ « { $colonne } » trop long : { $longueur } caractères pour { $max } au maximum (« { $valeur } »)
import-csv-caractere = champ « { $colonne } » : caractère invalide ou illisible dans « { $valeur } » ; vérifiez l'encodage du fichier (enregistrez-le en « CSV UTF-8 »)
import-csv-obligatoire = la colonne « { $colonne } » est vide ; elle est obligatoire
import-csv-date-future = { $libelle } « { $valeur } » dans le futur : vérifiez l'année
import-csv-date-format = { $libelle } « { $valeur } » invalide (attendu JJ/MM/AAAA, par exemple 14/03/2014)
import-csv-date-inexistante = { $libelle } « { $valeur } » invalide : ce jour n'existe pas (attendu JJ/MM/AAAA)
import-csv-valeur-invalide = { $libelle } « { $valeur } » invalide ({ $attendu }) ; laissez la case vide s'il n'y en a pas
import-csv-attendu-courriel = attendu prenom.nom@domaine.fr
import-csv-attendu-telephone = attendu 10 chiffres comme 06 12 34 56 78, ou +33 6 12 34 56 78
import-csv-attendu-identifiant = lettres et chiffres seulement
import-csv-colonne-double = colonne « { $colonne } » en double dans l'en-tête ; en-tête attendu : { $entete }
import-csv-colonne-inconnue = colonne « { $colonne } » inconnue, ignorée
import-csv-colonnes-absentes = { $nombre ->
        [one] colonne { $colonnes } absente
       *[other] colonnes { $colonnes } absentes
    } de l'en-tête ; en-tête attendu : { $entete }
import-csv-en-tete = la ligne 1 doit être l'en-tête : { $entete }
import-csv-guillemet = guillemet non fermé : un champ qui commence par " doit finir par " ; retirez ce guillemet ou fermez-le
import-csv-guillemet-ouvert = guillemet non fermé (ouvert ligne { $ouvert }) : un champ qui commence par " doit finir par " ; retirez ce guillemet ou fermez-le
import-csv-ligne-vide = ligne vide, ignorée
import-csv-champs-manquants = { $champs } champs au lieu de { $largeur } : { $nombre ->
        [one] colonne manquante
       *[other] colonnes manquantes
    } ({ $colonnes }) ; chaque ligne doit avoir autant de « { $separateur } » que l'en-tête
import-csv-champs-en-trop = { $champs } champs au lieu de { $largeur } : un « { $separateur } » de trop ? Une valeur qui contient « { $separateur } » doit être entre guillemets
import-csv-illisible = ligne illisible
import-csv-eleve-double = même élève que la ligne { $premiere } (nom, prénom, date de naissance) ; supprimez l'une des deux lignes
import-csv-identifiant-double = identifiant national « { $identifiant } » déjà donné ligne { $premiere } ; chaque élève a le sien
import-csv-lien-inconnu = lien « { $valeur } » inconnu (attendu mère, père ou tuteur)
import-csv-lien-double = même lien que la ligne { $premiere } (parent et enfant) ; supprimez l'une des deux lignes
import-csv-courriel-parent-double = courriel « { $courriel } » déjà donné ligne { $premiere } à { $prenom } { $nom } ; un courriel ne sert qu'à un parent (laissez la case vide pour l'autre)
import-csv-telephone-different = téléphone différent de celui de la ligne { $premiere } pour le même parent ; recopiez le même sur chaque ligne
import-csv-enseignant-double = même enseignant que la ligne { $premiere } ; regroupez ses disciplines et ses classes sur une seule ligne
import-csv-courriel-enseignant-double = courriel « { $courriel } » déjà donné ligne { $premiere } ; chaque enseignant a le sien
import-csv-classes-inconnues = { $nombre ->
        [one] classe { $classes } inconnue
       *[other] classes { $classes } inconnues
    } dans l'établissement ; corrigez le nom ou créez la classe d'abord (classes existantes : { $existantes })
import-csv-aucune-classe = aucune

# Le compte rendu de l'import des tableurs (src/domain/import/csv_apply/), lu dans la langue de
# la page ou en français en ligne de commande.
import-texte = { $texte }
import-csv-fichier-lu = Fichier lu : encodage { $encodage }, séparateur « { $separateur } », { $nombre ->
        [one] { $nombre } ligne valide
       *[other] { $nombre } lignes valides
    }
import-csv-etablissement-inconnu = établissement inconnu : créez-le avant d'importer
import-csv-classe-inconnue = classe « { $classe } » inconnue
import-csv-eleves-homonymes = { $nombre } élèves portent ces nom, prénom et date de naissance dans l'établissement ; impossible de savoir lequel (précisez l'identifiant national)
import-csv-ine-autre-etablissement = cet INE est celui d'un élève d'un autre établissement : son arrivée passe par l'import de l'académie ou par l'administrateur de la plateforme
import-csv-eleve-autre-etablissement = cet élève appartient aussi à un autre établissement : son nom, son prénom, sa date de naissance et son INE ne peuvent être changés que par l'administrateur de la plateforme
import-csv-enfant-introuvable = enfant { $prenom } { $nom } né(e) le { $date } introuvable parmi les élèves de l'établissement ; importez d'abord le fichier des élèves, ou corrigez le nom, le prénom ou la date
import-csv-enseignants-homonymes = plusieurs enseignants de l'établissement portent ces nom et prénom ; précisez le courriel
import-csv-eleve-creation = Élève { $nom } ({ $classe }) : création
import-csv-eleve-mise-a-jour = Élève { $nom } ({ $classe }) : mise à jour
import-csv-parent-creation = Parent { $nom } : création
import-csv-lien = Lien { $parent } → { $enfant } ({ $lien }) : création ou mise à jour
import-csv-relation-mere = mère
import-csv-relation-pere = père
import-csv-relation-tuteur = tuteur
import-csv-relation-autre = autre
import-csv-enseignant-creation = Enseignant { $nom } : création
import-csv-enseignant-mise-a-jour = Enseignant { $nom } : mise à jour
import-csv-matiere-creation = Matière { $matiere } : création

## Issue 14 (formulaires) : une confirmation envoyée deux fois.
import-deja-fait = Cette confirmation avait déjà été envoyée : l’import n’a pas été refait. Voici son bilan.

# Issue 14 (text hygiene): a person's name needs a letter.
import-csv-nom-sans-lettre = champ « { $colonne } » : « { $valeur } » ne contient aucune lettre ; un nom doit en contenir au moins une
