# Messaging (issue 6): folders, messages, writing, administration of rules and reports.
menu-messagerie = Messages
menu-messagerie-non-lus = { $nombre ->
    [one] unread message
   *[other] unread messages
}
tuile-messagerie = Messages
tuile-messagerie-desc = Write to your teachers and the school office, read your messages
tuile-messagerie-desc-personnel = Write to pupils, families and colleagues, one by one or by class
messagerie-titre = Messages
messagerie-dossiers = Message folders
messagerie-ecrire = Write a message
messagerie-reception = Inbox
messagerie-envoyes = Sent messages
messagerie-brouillons = Drafts
messagerie-corbeille = Trash
messagerie-rechercher = Search this folder
messagerie-rechercher-bouton = Search
messagerie-effacer-recherche = Clear the search
messagerie-expediteur = Sender
messagerie-objet = Subject
messagerie-date = Date
messagerie-destinataires = Recipients
messagerie-destinataire = Recipient
messagerie-non-lu = Unread
messagerie-etiquette-pj = Attachment
messagerie-etiquette-accuse = Acknowledgement asked
messagerie-etiquette-rappele = Recalled
messagerie-plus-anciens = Older messages
messagerie-dossier-vide = No message in this folder.
messagerie-resultats = { $nombre ->
    [0] No message matches the search.
    [one] { $nombre } message matches the search.
   *[other] { $nombre } messages match the search.
}
messagerie-sans-objet = (no subject)
messagerie-aucun-destinataire = (no recipient)
messagerie-destinataires-resume = { $nom } and { $autres ->
    [one] 1 other
   *[other] { $autres } others
}
messagerie-et-n-autres = { $nombre ->
    [one] and 1 other
   *[other] and { $nombre } others
}
messagerie-nouveau-dossier = New folder
messagerie-nom-dossier = Folder name
messagerie-creer-dossier = Create the folder
messagerie-supprimer-dossier = Delete this folder
messagerie-supprimer-dossier-aide = The messages of this folder go back to the inbox.
messagerie-fait-envoye = Your message was sent.
messagerie-fait-supprime = The message was moved to the trash.
messagerie-fait-restaure = The message was restored.
messagerie-fait-efface = The message was deleted for good.
messagerie-fait-deplace = The message was moved.
messagerie-fait-non-lu = The message is marked unread again.
messagerie-fait-dossier-cree = The folder was created.
messagerie-fait-dossier-supprime = The folder was deleted; its messages are in the inbox.
messagerie-fait-rappele = The message was recalled: its recipients no longer see it.
messagerie-fait-signe = Thank you: you signed this message.
messagerie-fait-signale = The message was reported to the school. The conversation is frozen until an administrator reviews it.
messagerie-fait-brouillon = The draft was saved.
messagerie-retour = Back: { $dossier }
messagerie-de = From
messagerie-a = To
messagerie-fil-gele = This conversation was reported to the school: it is frozen, nobody can reply until an administrator has reviewed it.
messagerie-rappele-le = Message recalled on { $date }: its recipients no longer see it.
messagerie-accuse-demande = The sender asks you to confirm that you have read this message.
messagerie-vu-et-signe = Seen and signed
messagerie-signe-le = You signed this message on { $date }.
messagerie-pieces-jointes = Attachments
messagerie-actions = Message actions
messagerie-repondre = Reply
messagerie-repondre-tous = Reply to all
messagerie-transferer = Forward
messagerie-marquer-non-lu = Mark as unread
messagerie-deplacer-vers = Move to
messagerie-deplacer = Move
messagerie-supprimer = Move to the trash
messagerie-restaurer = Restore
messagerie-supprimer-definitivement = Delete for good
messagerie-rappeler = Recall the message
messagerie-rappeler-aide = Possible until { $date } as long as nobody has read it.
messagerie-fil = In the same conversation
messagerie-fil-element = Message from { $nom }, on { $date }
messagerie-accuses = Seen and signed
messagerie-lectures = Reads
messagerie-accuses-resume = { $signes } of { $total } signed; { $lus } of { $total } read the message.
messagerie-lectures-resume = { $lus } of { $total } read the message.
messagerie-lu-le = Read on
messagerie-signe-le-colonne = Signed on
messagerie-signaler = Report this message
messagerie-signaler-aide = A message that upsets you, threatens or insults you? Report it: the school's administrators are told and the conversation is frozen until they review it.
messagerie-signaler-motif = What is wrong (optional)
messagerie-signaler-bouton = Report to the school
messagerie-nouveau = New message
messagerie-aucun-choisi = No recipient yet.
messagerie-ajouter-personne = Add a person
messagerie-chercher = Search
messagerie-recherche-aide = Type the beginning of the last or first name, then “Search”; only people you may write to are offered.
messagerie-aucune-suggestion = Nobody you may write to has this name.
messagerie-suggestions-cocher = Tick the people to add:
messagerie-listes = Mailing lists
messagerie-listes-aide = Each list sends the message to all of its members you may write to.
messagerie-classe = Class { $classe }
messagerie-liste-parents = Parents of { $classe }
messagerie-liste-enseignants = Teachers of { $classe }
messagerie-liste-eleves = Pupils of { $classe }
messagerie-corps = Message
messagerie-corps-aide = Formatting: **bold**, *italics*, lists (lines starting with “-”), links. HTML is not interpreted.
messagerie-demander-accuse = Ask for “Seen and signed”
messagerie-demander-accuse-aide = Each recipient confirms having read the message; you see who signed and when.
messagerie-ajouter-fichiers = Attach files
messagerie-pieces-jointes-aide = Up to { $nombre } files, { $taille } at most each.
messagerie-pieces-gardees = The attached files were kept in a draft.
messagerie-envoyer = Send
messagerie-enregistrer-brouillon = Save the draft
messagerie-brouillon-enregistre-a = Draft saved at { $heure }.
messagerie-brouillon-erreur = The draft could not be saved automatically.
messagerie-prefixe-re = Re:
messagerie-prefixe-tr = Fwd:
messagerie-citation = On { $date }, { $nom } wrote:
messagerie-transfert-entete = Forwarded message — from { $nom }, on { $date }, subject “{ $objet }”:
messagerie-destinataires-retires = { $nombre ->
    [one] 1 recipient was left out: the school's rules do not let you write to them.
   *[other] { $nombre } recipients were left out: the school's rules do not let you write to them.
}
messagerie-refus-titre = Message not sent
messagerie-taille-octets = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
messagerie-taille-ko = { $n } KB
messagerie-taille-mo = { $n } MB
messagerie-erreur-non-autorise = You may not write to: { $noms }.
messagerie-erreur-limite = You have sent too many messages: try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}. Nothing was sent.
messagerie-erreur-suspendue = Your messaging is suspended by the school: you cannot send messages.
messagerie-erreur-gele = This conversation was reported and is frozen until the school reviews it: you cannot reply.
messagerie-erreur-rappel-tard = Too late to recall this message: the delay has passed.
messagerie-erreur-rappel-lu = This message can no longer be recalled: a recipient has read it.
messagerie-erreur-rappel-deja = This message was already recalled.
messagerie-erreur-accuse-non-demande = The sender did not ask for “Seen and signed” on this message.
messagerie-erreur-soi-meme = You cannot suspend your own messaging.
messagerie-erreur-objet = Give the message a subject.
messagerie-erreur-objet-long = The subject is too long: 200 characters at most.
messagerie-erreur-corps-long = The message is too long: 50,000 characters at most.
messagerie-erreur-accuse = Only staff and teachers may ask for “Seen and signed”.
messagerie-erreur-destinataires = Choose at least one recipient or list.
messagerie-erreur-liste-vide = The chosen lists hold nobody you may write to.
messagerie-erreur-trop-de-destinataires = Too many recipients for one message.
messagerie-erreur-dossier = Give the folder a name of 60 characters at most.
messagerie-erreur-deplacer = This message cannot be moved there.
messagerie-erreur-piece-jointe = An attachment could not be taken over: attach it again.
messagerie-erreur-fichier-trop-gros = The file “{ $nom }” is larger than the { $taille } MB limit: it was not attached and nothing was sent.
messagerie-erreur-trop-de-fichiers = { $nombre } attachments at most per message.
messagerie-erreur-envoi-fichier = A file could not be received: attach it again.
messagerie-erreur-quota = Not enough space: you use { $utilise } of { $quota } (documents and attachments) and these attachments ({ $taille }) do not fit in the { $reste } left. Nothing was saved; free some space or attach fewer files.
messagerie-erreur-pieces-trop-grosses = The attachments of a message cannot exceed { $max } in total (here { $taille }). Nothing was saved.
messagerie-erreur-limite-brouillons = You have saved too many drafts: try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}. Nothing was saved.
messagerie-erreur-pieces-total = The attachments of a message cannot exceed { $max } in total. Nothing was saved.
messagerie-erreur-espace-insuffisant = Not enough space for these attachments: you have { $reste } left (documents and attachments count together). Nothing was saved.
messagerie-api-corps-json = Send the message as JSON: {"{"}"recipients": […], "subject": …, "body": …{"}"}.
messagerie-api-liste-inconnue = Unknown list: use parents-CLASS, enseignants-CLASS or eleves-CLASS.
# Administration: communication rules, reports, suspensions.
communication-titre = Communication rules
communication-titre-court = Communication rules
communication-intro = Who may write to whom in the school's messaging. Each cell says, for a profile writing (row), whom of the other profile (column) it may write to: nobody, only related people, or everyone in the school.
communication-par-defaut = These are the default rules.
communication-modifie-le = Changed on { $date }.
communication-legende = Who may write to whom
communication-depuis = { $qui }…
communication-vers = …to { $qui }
communication-cellule = From { $de } to { $a }
communication-eleves = pupils
communication-parents = parents
communication-enseignants = teachers
communication-personnels = staff
communication-personne = Nobody
communication-lies = Related only
communication-tous = Everyone
communication-enregistrer = Save the rules
communication-defauts = Back to the default rules
communication-fait-enregistre = The rules were saved.
communication-fait-defauts = The default rules are back.
communication-erreur-valeur = Each cell must be “Nobody”, “Related only” or “Everyone”: nothing was changed.
communication-lies-titre = What “related” means
communication-lies-intro = For each cell, “Related only” allows:
communication-lies-eleve-eleve = Pupils to pupils: the pupils of one of their classes or groups.
communication-lies-eleve-parent = Pupils to parents: their own parents.
communication-lies-eleve-enseignant = Pupils to teachers: the teachers of one of their classes or groups.
communication-lies-eleve-personnel = Pupils to staff: the vie scolaire, the management and the office (not every staff member).
communication-lies-parent-eleve = Parents to pupils: their own children.
communication-lies-parent-parent = Parents to parents: the other parents of their children.
communication-lies-parent-enseignant = Parents to teachers: their children's teachers.
communication-lies-parent-personnel = Parents to staff: the vie scolaire, the management and the office.
communication-lies-enseignant-eleve = Teachers to pupils: the pupils of the classes and groups they teach.
communication-lies-enseignant-parent = Teachers to parents: the parents of the pupils they teach.
communication-lies-enseignant-enseignant = Teachers to teachers: colleagues who teach one of their classes or groups.
communication-lies-enseignant-personnel = Teachers to staff: the vie scolaire, the management and the office.
communication-lies-personnel-eleve = Staff to pupils: every pupil of the school.
communication-lies-personnel-parent = Staff to parents: every parent of the school.
communication-lies-personnel-enseignant = Staff to teachers: every teacher of the school.
communication-lies-personnel-personnel = Staff to staff: the vie scolaire, the management and the office.
signalements-titre = Reported messages
signalements-titre-court = Reported messages
signalements-intro = Messages their recipients reported. While a report is open, the conversation is frozen: nobody can reply.
signalements-ouverts = { $nombre ->
    [0] No open report.
    [one] 1 open report.
   *[other] { $nombre } open reports.
}
signalement-titre = A reported message
signalement-date = Reported on
signalement-par = Reported by
signalement-etat = State
signalement-motif = Reason
signalement-sans-motif = (no reason given)
signalement-ouvert = Open: conversation frozen
signalement-examine = Reviewed on { $date }
signalement-examine-suspendu = Reviewed on { $date }; the sender's messaging suspended
signalement-expediteur-suspendu = messaging suspended
signalement-examen = Review
signalement-examen-aide = Lifting the freeze allows replies again. You may at the same time suspend the sender's messaging: they cannot send messages until an administrator restores it from their page.
signalement-lever-gel = Lift the freeze
signalement-lever-gel-suspendre = Lift the freeze and suspend the sender's messaging
signalement-fait-examine = The report is reviewed: the conversation is no longer frozen.
signalement-fait-examine-suspendu = The report is reviewed: the conversation is no longer frozen and the sender's messaging is suspended.
signalement-erreur-deja-examine = This report was already reviewed.
admin-suspendre-messagerie = Suspend messaging
admin-suspendre-messagerie-aide = The person can no longer send messages; they still receive and read theirs.
admin-retablir-messagerie = Restore messaging
admin-messagerie-suspendue = Their messaging is suspended.
admin-retablir-messagerie-aide = The person will be able to send messages again.
admin-fait-messagerie-suspendue = The person's messaging is suspended.
admin-fait-messagerie-retablie = The person's messaging is restored.
journal-action-regles-communication = Communication rules changed
journal-action-signalement = Message reported
journal-action-signalement-examine = Report reviewed
journal-action-messagerie-suspendue = Messaging suspended
journal-action-messagerie-retablie = Messaging restored

## Issue 14 (forms): too large files named, parents with their children, one-time keys.
messagerie-erreur-fichiers-trop-gros = The files { $noms } are each larger than the { $taille } MB limit: they were not attached and nothing was sent.
messagerie-accuse-parent = { $nom } ({ $enfants })
messagerie-accuse-enfant = { $lien ->
    [mere] mother
    [pere] father
    [tuteur] guardian
   *[autre] parent
} of { $prenom }, { $classe }
formulaire-cle-invalide = The one-time key (Idempotency-Key) must be 32 hexadecimal digits or a UUID.
# Issue 14 §8 (roles): a parent's tile.
tuile-messagerie-desc-parent = Write to your children’s teachers and the school office, read your messages

# Phone first (issue 14 §11): the folders fold into one control on a phone.
messagerie-dossiers-replies = Folders

# ---- Recipients' lists picker (issue 14 §12, design) ----
messagerie-listes-groupe-parents = Parents
messagerie-listes-groupe-eleves = Pupils
messagerie-listes-groupe-enseignants = Teaching teams
messagerie-listes-nombre = { $nombre ->
    [one] { $nombre } list
   *[other] { $nombre } lists
}
messagerie-listes-choisies = { $nombre ->
    [0] none chosen
    [one] { $nombre } chosen
   *[other] { $nombre } chosen
}
messagerie-listes-filtre = Filter the lists
messagerie-listes-filtre-aide = Type a class name, for example 4B.
messagerie-listes-filtre-aucune = No list matches.
