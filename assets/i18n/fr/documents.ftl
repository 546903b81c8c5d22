# Documents (issue 7 §2) : espaces, dossiers, fichiers, versions, partages, corbeille.
menu-documents = Documents
documents-titre = Documents
documents-mes-documents = Mes documents
documents-de = Documents de { $nom }
documents-fil-ariane = Fil d’Ariane
documents-espace-utilise = Espace utilisé
documents-quota-texte = { $utilise } sur { $quota }
documents-lecture-seule = lecture seule
documents-lecture-seule-aide = Vous pouvez consulter et télécharger ces documents, mais pas les modifier.
documents-partages-avec-moi = Partagés avec moi
documents-aucun-partage = Personne n’a encore partagé de document avec vous.
documents-dossier-de = dossier de { $nom }
documents-fichier-de = fichier de { $nom }
documents-voir-corbeille = Voir la corbeille
documents-dossier-vide = Ce dossier est vide.
# Tableau d’un dossier.
documents-nom = Nom
documents-type = Type
documents-taille = Taille
documents-modifie = Modifié le
documents-par = Par
documents-actions = Actions
documents-etiquette-partage = Partagé
documents-nouveau-nom = Nouveau nom
documents-renommer = Renommer
documents-mettre-corbeille = Mettre à la corbeille
documents-deplacer-copier = Déplacer ou copier
documents-copier = Copier
documents-versions = Versions
documents-partager = Partager
documents-telecharger = Télécharger
documents-apercu = Aperçu
documents-nouvel-onglet = s’ouvre dans un nouvel onglet
# Types de fichiers.
documents-type-dossier = Dossier
documents-type-pdf = Document PDF
documents-type-image = Image
documents-type-texte = Texte
documents-type-html = Page web
documents-type-traitement-texte = Document texte
documents-type-tableur = Classeur
documents-type-presentation = Présentation
documents-type-audio = Son
documents-type-video = Vidéo
documents-type-archive = Archive
documents-type-fichier = Fichier
# Tailles.
documents-taille-octets = { $n ->
    [one] { $n } octet
   *[other] { $n } octets
}
documents-taille-ko = { $n } Ko
documents-taille-mo = { $n } Mo
documents-taille-go = { $n } Go
# Envoi et nouveau dossier.
documents-envoyer-titre = Ajouter des fichiers
documents-fichiers = Fichiers à envoyer
documents-envoi-aide = Jusqu’à { $nombre } fichiers à la fois, { $taille } au plus chacun. Un fichier du même nom qu’un fichier existant en devient une nouvelle version.
documents-envoyer = Envoyer
documents-deposer = Vous pouvez aussi déposer des fichiers ici.
documents-progression = Progression de l’envoi
documents-nouveau-dossier = Nouveau dossier
documents-nom-dossier = Nom du dossier
documents-creer-dossier = Créer le dossier
# Fichier.
documents-gerer = Gérer ce fichier
documents-version = Version
documents-version-n = Version { $n }
documents-version-actuelle = actuelle
documents-envoye-le = Envoyée le
documents-restaurer-version = Restaurer cette version
documents-versions-aide = Les 10 dernières versions sont gardées. Restaurer une version en fait une nouvelle version : rien n’est perdu.
documents-ouvrir-dossier = Ouvrir le dossier
documents-ouvrir-fichier = Revenir au fichier
# Partages.
documents-partages = Partages
documents-pas-de-partage = Ce document n’est partagé avec personne.
documents-retirer-partage = Retirer le partage
documents-ajouter-partage = Partager avec une personne, une classe ou un groupe
documents-chercher-personne = Chercher une personne
documents-chercher = Chercher
documents-chercher-aide = Tapez le début du prénom ou du nom. Seules les personnes à qui vous pouvez écrire sont proposées.
documents-avec-qui = Avec qui
documents-personne-introuvable = Aucune personne trouvée parmi celles à qui vous pouvez écrire.
documents-chercher-d-abord = Cherchez d’abord une personne par son nom.
documents-toute-la-classe = Toute la classe { $nom }
documents-tout-le-groupe = Tout le groupe { $nom }
documents-droit = Droit
documents-droit-lecture = Lecture seule
documents-droit-ecriture = Lecture et écriture
documents-partager-titre = Partager « { $nom } »
documents-partage-dossier-aide = Partager un dossier partage aussi tout ce qu’il contient.
# Déplacer ou copier.
documents-deplacer-titre = Déplacer ou copier « { $nom } »
documents-destination = Destination
documents-aucune-destination = Vous n’avez aucun espace où écrire.
documents-deplacer-ici = Déplacer ici
documents-copier-ici = Copier ici
documents-copier-aide = Une copie compte dans votre espace utilisé.
# Corbeille.
documents-corbeille-de = Corbeille — { $espace }
documents-retour-espace = Revenir à l’espace
documents-corbeille-aide = { $jours ->
    [one] Les éléments mis à la corbeille peuvent être restaurés pendant { $jours } jour, puis sont effacés.
   *[other] Les éléments mis à la corbeille peuvent être restaurés pendant { $jours } jours, puis sont effacés.
}
documents-corbeille-vide = La corbeille est vide.
documents-supprime-le = Mis à la corbeille le
documents-efface-le = Effacé définitivement le
documents-restaurer = Restaurer
documents-supprimer-definitivement = Supprimer définitivement
# Confirmations.
documents-fait-envoi = { $nombre ->
    [one] Le fichier a été envoyé.
   *[other] Les { $nombre } fichiers ont été envoyés.
}
documents-fait-dossier-cree = Le dossier a été créé.
documents-fait-renomme = L’élément a été renommé.
documents-fait-supprime = L’élément a été mis à la corbeille.
documents-fait-deplace = L’élément a été déplacé.
documents-fait-copie = L’élément a été copié.
documents-fait-partage = Le partage a été enregistré.
documents-fait-partage-retire = Le partage a été retiré.
documents-fait-restaure = L’élément a été restauré.
documents-fait-efface = L’élément a été supprimé définitivement.
documents-fait-version-restauree = La version a été restaurée.
# Erreurs.
documents-error-name = Donnez un nom : les espaces, les caractères invisibles et les points du début ne comptent pas. (Une barre oblique « / » est gardée, écrite « ∕ ».)
documents-error-name-taken = Un élément de ce nom existe déjà dans ce dossier.
documents-error-too-deep = Les dossiers ne peuvent pas être imbriqués aussi profondément.
documents-error-into-itself = Un dossier ne peut pas être placé dans lui-même ni dans l’un de ses sous-dossiers.
documents-error-too-many = Ce dossier contient trop d’éléments pour cette opération.
documents-error-share-not-allowed = Vous ne pouvez pas partager avec cette personne ou ce groupe : les règles de l’établissement ne le permettent pas.
documents-error-too-large = « { $nom } » dépasse la taille maximale de { $taille } : rien n’a été envoyé.
documents-error-quota = Espace insuffisant : vous utilisez { $utilise } sur { $quota } et ces fichiers ne tiennent pas dans les { $reste } restants. Rien n’a été envoyé ; libérez de la place (la corbeille compte jusqu’à son effacement).
documents-error-no-file = Choisissez au moins un fichier.
documents-error-too-many-files = Trop de fichiers à la fois : envoyez-les en plusieurs fois.
documents-error-upload-failed = L’envoi a été interrompu : rien n’a été enregistré. Réessayez.
documents-error-destination = Choisissez une destination.
documents-error-grantee = Choisissez une personne, une classe ou un groupe.

tuile-documents = Documents
tuile-documents-desc = Vos fichiers, ceux de vos classes et de l’établissement, et ce qu’on a partagé avec vous

# Issue 13: the range refused (416).
documents-error-range = La partie demandée commence après la fin du fichier.
# Issue 14 §8 (roles) : les types de fichiers en mots, les espaces selon le lecteur.
documents-type-image-png = Image PNG
documents-type-image-jpeg = Image JPEG
documents-type-image-gif = Image GIF
documents-type-image-webp = Image WebP
documents-type-image-svg = Image SVG
documents-type-markdown = Texte (Markdown)
documents-type-csv = Tableau CSV
documents-type-word = Document Word
documents-type-excel = Classeur Excel
documents-type-powerpoint = Présentation PowerPoint
documents-espaces-partages-selon = { $public ->
    [parent] Espaces des établissements de mes enfants
    [enseignant] Espaces des classes et établissements où j’enseigne
    [personnel] Espaces des classes et de l’établissement
   *[eleve] Espaces de mes classes et établissements
}
tuile-documents-desc-parent = Vos fichiers, ceux des établissements de vos enfants, et ce qu’on a partagé avec vous
tuile-documents-desc-personnel = Vos fichiers, ceux des classes et de l’établissement, et ce qu’on a partagé avec vous
