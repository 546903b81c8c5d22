# Documents (issue 7 §2): spaces, folders, files, versions, shares, trash.
menu-documents = Documents
documents-titre = Documents
documents-mes-documents = My documents
documents-de = { $nom }’s documents
documents-fil-ariane = Breadcrumb
documents-espace-utilise = Space used
documents-quota-texte = { $utilise } of { $quota }
documents-lecture-seule = read only
documents-lecture-seule-aide = You may read and download these documents, but not change them.
documents-partages-avec-moi = Shared with me
documents-aucun-partage = Nobody has shared a document with you yet.
documents-dossier-de = { $nom }’s folder
documents-fichier-de = { $nom }’s file
documents-voir-corbeille = See the trash
documents-dossier-vide = This folder is empty.
# Folder table.
documents-nom = Name
documents-type = Type
documents-taille = Size
documents-modifie = Modified
documents-par = By
documents-actions = Actions
documents-etiquette-partage = Shared
documents-nouveau-nom = New name
documents-renommer = Rename
documents-mettre-corbeille = Move to trash
documents-deplacer-copier = Move or copy
documents-copier = Copy
documents-versions = Versions
documents-partager = Share
documents-telecharger = Download
documents-apercu = Preview
documents-nouvel-onglet = opens in a new tab
# File types.
documents-type-dossier = Folder
documents-type-pdf = PDF document
documents-type-image = Image
documents-type-texte = Text
documents-type-html = Web page
documents-type-traitement-texte = Text document
documents-type-tableur = Spreadsheet
documents-type-presentation = Presentation
documents-type-audio = Audio
documents-type-video = Video
documents-type-archive = Archive
documents-type-fichier = File
# Sizes.
documents-taille-octets = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
documents-taille-ko = { $n } KB
documents-taille-mo = { $n } MB
documents-taille-go = { $n } GB
# Upload and new folder.
documents-envoyer-titre = Add files
documents-fichiers = Files to upload
documents-envoi-aide = Up to { $nombre } files at once, { $taille } at most each. A file with the name of an existing file becomes its new version.
documents-envoyer = Upload
documents-deposer = You may also drop files here.
documents-progression = Upload progress
documents-nouveau-dossier = New folder
documents-nom-dossier = Folder name
documents-creer-dossier = Create the folder
# File.
documents-gerer = Manage this file
documents-version = Version
documents-version-n = Version { $n }
documents-version-actuelle = current
documents-envoye-le = Uploaded
documents-restaurer-version = Restore this version
documents-versions-aide = The last 10 versions are kept. Restoring a version makes it a new version: nothing is lost.
documents-ouvrir-dossier = Open the folder
documents-ouvrir-fichier = Back to the file
# Shares.
documents-partages = Shares
documents-pas-de-partage = This document is not shared with anyone.
documents-retirer-partage = Remove the share
documents-ajouter-partage = Share with a person, a class or a group
documents-chercher-personne = Find a person
documents-chercher = Search
documents-chercher-aide = Type the start of the first or last name. Only people you may write to are offered.
documents-avec-qui = With whom
documents-personne-introuvable = Nobody found among the people you may write to.
documents-chercher-d-abord = First find a person by name.
documents-toute-la-classe = The whole class { $nom }
documents-tout-le-groupe = The whole group { $nom }
documents-droit = Right
documents-droit-lecture = Read only
documents-droit-ecriture = Read and write
documents-partager-titre = Share “{ $nom }”
documents-partage-dossier-aide = Sharing a folder also shares everything in it.
# Move or copy.
documents-deplacer-titre = Move or copy “{ $nom }”
documents-destination = Destination
documents-aucune-destination = You have no space to write in.
documents-deplacer-ici = Move here
documents-copier-ici = Copy here
documents-copier-aide = A copy counts towards your space used.
# Trash.
documents-corbeille-de = Trash — { $espace }
documents-retour-espace = Back to the space
documents-corbeille-aide = { $jours ->
    [one] Items in the trash can be restored for { $jours } day, then they are deleted.
   *[other] Items in the trash can be restored for { $jours } days, then they are deleted.
}
documents-corbeille-vide = The trash is empty.
documents-supprime-le = Trashed
documents-efface-le = Deleted for good on
documents-restaurer = Restore
documents-supprimer-definitivement = Delete for good
# Confirmations.
documents-fait-envoi = { $nombre ->
    [one] The file was uploaded.
   *[other] The { $nombre } files were uploaded.
}
documents-fait-dossier-cree = The folder was created.
documents-fait-renomme = The item was renamed.
documents-fait-supprime = The item was moved to the trash.
documents-fait-deplace = The item was moved.
documents-fait-copie = The item was copied.
documents-fait-partage = The share was saved.
documents-fait-partage-retire = The share was removed.
documents-fait-restaure = The item was restored.
documents-fait-efface = The item was deleted for good.
documents-fait-version-restauree = The version was restored.
# Errors.
documents-error-name = Give a name: spaces, invisible characters and leading dots do not count. (A slash « / » is kept, written « ∕ ».)
documents-error-name-taken = An item of this name already exists in this folder.
documents-error-too-deep = Folders cannot be nested this deep.
documents-error-into-itself = A folder cannot go into itself or one of its subfolders.
documents-error-too-many = This folder holds too many items for this operation.
documents-error-share-not-allowed = You may not share with this person or group: the school’s rules do not allow it.
documents-error-too-large = “{ $nom }” is larger than the limit of { $taille }: nothing was uploaded.
documents-error-quota = Not enough space: you use { $utilise } of { $quota } and these files do not fit in the { $reste } left. Nothing was uploaded; free some space (the trash counts until it is emptied).
documents-error-no-file = Choose at least one file.
documents-error-too-many-files = Too many files at once: upload them in several goes.
documents-error-upload-failed = The upload was interrupted: nothing was saved. Try again.
documents-error-destination = Choose a destination.
documents-error-grantee = Choose a person, a class or a group.

tuile-documents = Documents
tuile-documents-desc = Your files, your classes’ and your school’s, and what was shared with you

# Issue 13: the range refused (416).
documents-error-range = The requested range starts past the end of the file.
# Issue 14 §8 (roles): file kinds in words, spaces by reader.
documents-type-image-png = PNG image
documents-type-image-jpeg = JPEG image
documents-type-image-gif = GIF image
documents-type-image-webp = WebP image
documents-type-image-svg = SVG image
documents-type-markdown = Text (Markdown)
documents-type-csv = CSV table
documents-type-word = Word document
documents-type-excel = Excel spreadsheet
documents-type-powerpoint = PowerPoint presentation
documents-espaces-partages-selon = { $public ->
    [parent] Spaces of my children’s schools
    [enseignant] Spaces of the classes and schools where I teach
    [personnel] Spaces of the classes and the school
   *[eleve] Spaces of my classes and schools
}
tuile-documents-desc-parent = Your files, your children’s schools’, and what was shared with you
tuile-documents-desc-personnel = Your files, the classes’ and the school’s, and what was shared with you
