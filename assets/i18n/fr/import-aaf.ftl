# Le rapport de l’import des fichiers AAF (cartable import aaf, src/domain/import/aaf_apply/) :
# ce qui a été fait, les avertissements et les erreurs, chacune avec son fichier et son
# enregistrement.
aaf-erreur = { $fichier }, enregistrement { $id } : { $message }
aaf-sorte = { $sorte ->
        [etablissement] Établissement
        [matiere] Matière
        [eleve] Élève
        [responsable] Responsable
       *[personnel] Personnel
    }
aaf-ligne-creation = { $quoi } { $id } { $libelle } : création
aaf-ligne-mise-a-jour = { $quoi } { $id } { $libelle } : mise à jour
aaf-ligne-depart = { $quoi } { $id } { $libelle } : départ le { $date }
aaf-ligne-groupe = Groupe { $code } : création
aaf-ligne-classe = Classe { $code } ({ $niveau }) : création
aaf-etablissement-suppression = { $fichier }, établissement { $id } : suppression d'établissement non appliquée
aaf-structure-inconnue-delta = structure { $id } inconnue : importez d'abord l'export complet
aaf-type-inconnu = type d'établissement non reconnu : « { $type } »
aaf-uai-mal-formee = UAI « { $uai } » mal formée
aaf-uai-prise = UAI { $uai } déjà utilisée par un autre établissement
aaf-matiere-suppression = { $fichier }, matière { $code } : suppression de matière non appliquée
aaf-matiere-sans-etablissement = aucun établissement connu pour y créer la matière : importez le fichier EtabEducNat
aaf-matiere-sans-libelle = matière { $code } inconnue et sans libellé
aaf-structure-inconnue = structure { $id } inconnue (ni dans le fichier EtabEducNat ni dans un import précédent)
aaf-personne-inconnue = personne inconnue : la modification précède sa création (importez d'abord l'export complet)
aaf-suppression-inconnue = { $fichier }, enregistrement { $id } : suppression d'une personne inconnue, ignorée
aaf-classe-inconnue = classe { $code } inconnue dans la structure { $structure } pour l'année { $annee }
aaf-plusieurs-classes = plusieurs classes dans la structure { $structure } (une seule par année)
aaf-groupe-inconnu = groupe { $code } inconnu dans la structure { $structure } pour l'année { $annee }
aaf-responsable-inconnu = { $fichier }, enregistrement { $id } : responsable { $responsable } inconnu, lien ignoré
aaf-classe-inconnue-enseignement = classe { $code } inconnue dans la structure { $structure } (enseignement { $matiere })
aaf-groupe-inconnu-enseignement = groupe { $code } inconnu dans la structure { $structure } (enseignement { $matiere })
aaf-classe-inconnue-pp = classe { $code } inconnue dans la structure { $structure } (professeur principal)
aaf-matiere-inconnue = matière { $code } inconnue (absente du fichier MatiereEducNat)

# Issue 14 (text hygiene): a person's name needs a letter.
aaf-nom-sans-lettre = l’attribut { $attribut } « { $valeur } » ne contient aucune lettre : ce n’est pas un nom
