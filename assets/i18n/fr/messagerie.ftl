# Messagerie (issue 6) : dossiers, messages, écriture, administration des règles et des signalements.
menu-messagerie = Messagerie
menu-messagerie-non-lus = { $nombre ->
    [one] message non lu
   *[other] messages non lus
}
tuile-messagerie = Messagerie
tuile-messagerie-desc = Écrire à vos enseignants, à la vie scolaire et lire vos messages
tuile-messagerie-desc-personnel = Écrire aux élèves, aux familles et aux collègues, par personne ou par classe
messagerie-titre = Messagerie
messagerie-dossiers = Dossiers de la messagerie
messagerie-ecrire = Écrire un message
messagerie-reception = Boîte de réception
messagerie-envoyes = Messages envoyés
messagerie-brouillons = Brouillons
messagerie-corbeille = Corbeille
messagerie-rechercher = Rechercher dans ce dossier
messagerie-rechercher-bouton = Rechercher
messagerie-effacer-recherche = Effacer la recherche
messagerie-expediteur = Expéditeur
messagerie-objet = Objet
messagerie-date = Date
messagerie-destinataires = Destinataires
messagerie-destinataire = Destinataire
messagerie-non-lu = Non lu
messagerie-etiquette-pj = Pièce jointe
messagerie-etiquette-accuse = Vu et signé demandé
messagerie-etiquette-rappele = Rappelé
messagerie-plus-anciens = Messages plus anciens
messagerie-dossier-vide = Aucun message dans ce dossier.
messagerie-resultats = { $nombre ->
    [0] Aucun message ne correspond à la recherche.
    [one] { $nombre } message correspond à la recherche.
   *[other] { $nombre } messages correspondent à la recherche.
}
messagerie-sans-objet = (sans objet)
messagerie-aucun-destinataire = (aucun destinataire)
messagerie-destinataires-resume = { $nom } et { $autres ->
    [one] 1 autre
   *[other] { $autres } autres
}
messagerie-et-n-autres = { $nombre ->
    [one] et 1 autre
   *[other] et { $nombre } autres
}
messagerie-nouveau-dossier = Nouveau dossier
messagerie-nom-dossier = Nom du dossier
messagerie-creer-dossier = Créer le dossier
messagerie-supprimer-dossier = Supprimer ce dossier
messagerie-supprimer-dossier-aide = Les messages de ce dossier retournent dans la boîte de réception.
messagerie-fait-envoye = Votre message a été envoyé.
messagerie-fait-supprime = Le message a été mis à la corbeille.
messagerie-fait-restaure = Le message a été restauré.
messagerie-fait-efface = Le message a été supprimé définitivement.
messagerie-fait-deplace = Le message a été déplacé.
messagerie-fait-non-lu = Le message est de nouveau marqué comme non lu.
messagerie-fait-dossier-cree = Le dossier a été créé.
messagerie-fait-dossier-supprime = Le dossier a été supprimé ; ses messages sont dans la boîte de réception.
messagerie-fait-rappele = Le message a été rappelé : ses destinataires ne le voient plus.
messagerie-fait-signe = Merci : vous avez signé ce message.
messagerie-fait-signale = Le message a été signalé à l’établissement. La conversation est gelée jusqu’à son examen par un administrateur.
messagerie-fait-brouillon = Le brouillon a été enregistré.
messagerie-retour = Retour : { $dossier }
messagerie-de = De
messagerie-a = À
messagerie-fil-gele = Cette conversation a été signalée à l’établissement : elle est gelée, personne ne peut y répondre tant qu’un administrateur ne l’a pas examinée.
messagerie-rappele-le = Message rappelé le { $date } : ses destinataires ne le voient plus.
messagerie-accuse-demande = L’expéditeur vous demande de confirmer que vous avez pris connaissance de ce message.
messagerie-vu-et-signe = Vu et signé
messagerie-signe-le = Vous avez signé ce message le { $date }.
messagerie-pieces-jointes = Pièces jointes
messagerie-actions = Actions sur le message
messagerie-repondre = Répondre
messagerie-repondre-tous = Répondre à tous
messagerie-transferer = Transférer
messagerie-marquer-non-lu = Marquer comme non lu
messagerie-deplacer-vers = Déplacer vers
messagerie-deplacer = Déplacer
messagerie-supprimer = Mettre à la corbeille
messagerie-restaurer = Restaurer
messagerie-supprimer-definitivement = Supprimer définitivement
messagerie-rappeler = Rappeler le message
messagerie-rappeler-aide = Possible jusqu’au { $date } tant que personne ne l’a lu.
messagerie-fil = Dans la même conversation
messagerie-fil-element = Message de { $nom }, le { $date }
messagerie-accuses = Vu et signé
messagerie-lectures = Lectures
messagerie-accuses-resume = { $signes } sur { $total } ont signé ; { $lus } sur { $total } ont lu le message.
messagerie-lectures-resume = { $lus } sur { $total } ont lu le message.
messagerie-lu-le = Lu le
messagerie-signe-le-colonne = Signé le
messagerie-signaler = Signaler ce message
messagerie-signaler-aide = Un message qui vous met mal à l’aise, vous menace ou vous insulte ? Signalez-le : les administrateurs de l’établissement sont prévenus et la conversation est gelée jusqu’à leur examen.
messagerie-signaler-motif = Ce qui ne va pas (facultatif)
messagerie-signaler-bouton = Signaler à l’établissement
messagerie-nouveau = Nouveau message
messagerie-aucun-choisi = Aucun destinataire pour l’instant.
messagerie-ajouter-personne = Ajouter une personne
messagerie-chercher = Chercher
messagerie-recherche-aide = Tapez le début du nom ou du prénom puis « Chercher » ; seules les personnes à qui vous pouvez écrire sont proposées.
messagerie-aucune-suggestion = Personne à qui vous pouvez écrire ne porte ce nom.
messagerie-suggestions-cocher = Cochez les personnes à ajouter :
messagerie-listes = Listes de diffusion
messagerie-listes-aide = Chaque liste envoie le message à tous ses membres à qui vous pouvez écrire.
messagerie-classe = Classe { $classe }
messagerie-liste-parents = Parents de { $classe }
messagerie-liste-enseignants = Enseignants de { $classe }
messagerie-liste-eleves = Élèves de { $classe }
messagerie-corps = Message
messagerie-corps-aide = Mise en forme possible : **gras**, *italique*, listes (lignes commençant par « - »), liens. Le HTML n’est pas interprété.
messagerie-demander-accuse = Demander « Vu et signé »
messagerie-demander-accuse-aide = Chaque destinataire confirme avoir pris connaissance du message ; vous voyez qui a signé et quand.
messagerie-ajouter-fichiers = Joindre des fichiers
messagerie-pieces-jointes-aide = Jusqu’à { $nombre } fichiers, { $taille } au plus chacun.
messagerie-pieces-gardees = Les fichiers joints ont été gardés dans un brouillon.
messagerie-envoyer = Envoyer
messagerie-enregistrer-brouillon = Enregistrer le brouillon
messagerie-brouillon-enregistre-a = Brouillon enregistré à { $heure }.
messagerie-brouillon-erreur = Le brouillon n’a pas pu être enregistré automatiquement.
messagerie-prefixe-re = RE :
messagerie-prefixe-tr = TR :
messagerie-citation = Le { $date }, { $nom } a écrit :
messagerie-transfert-entete = Message transféré — de { $nom }, le { $date }, objet « { $objet } » :
messagerie-destinataires-retires = { $nombre ->
    [one] 1 destinataire a été retiré : les règles de l’établissement ne vous permettent pas de lui écrire.
   *[other] { $nombre } destinataires ont été retirés : les règles de l’établissement ne vous permettent pas de leur écrire.
}
messagerie-refus-titre = Message non envoyé
messagerie-taille-octets = { $n ->
    [one] { $n } octet
   *[other] { $n } octets
}
messagerie-taille-ko = { $n } Ko
messagerie-taille-mo = { $n } Mo
messagerie-erreur-non-autorise = Vous ne pouvez pas écrire à : { $noms }.
messagerie-erreur-limite = Vous avez envoyé trop de messages : réessayez dans { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}. Rien n’a été envoyé.
messagerie-erreur-suspendue = Votre messagerie est suspendue par l’établissement : vous ne pouvez pas envoyer de message.
messagerie-erreur-gele = Cette conversation a été signalée et est gelée jusqu’à son examen par l’établissement : vous ne pouvez pas y répondre.
messagerie-erreur-rappel-tard = Trop tard pour rappeler ce message : le délai est passé.
messagerie-erreur-rappel-lu = Ce message ne peut plus être rappelé : un destinataire l’a déjà lu.
messagerie-erreur-rappel-deja = Ce message a déjà été rappelé.
messagerie-erreur-accuse-non-demande = L’expéditeur n’a pas demandé de « Vu et signé » pour ce message.
messagerie-erreur-soi-meme = Vous ne pouvez pas suspendre votre propre messagerie.
messagerie-erreur-objet = Indiquez l’objet du message.
messagerie-erreur-objet-long = L’objet est trop long : 200 caractères au plus.
messagerie-erreur-corps-long = Le message est trop long : 50 000 caractères au plus.
messagerie-erreur-accuse = Seuls les personnels et les enseignants peuvent demander « Vu et signé ».
messagerie-erreur-destinataires = Choisissez au moins un destinataire ou une liste.
messagerie-erreur-liste-vide = Les listes choisies ne contiennent personne à qui vous pouvez écrire.
messagerie-erreur-trop-de-destinataires = Trop de destinataires pour un seul message.
messagerie-erreur-dossier = Donnez au dossier un nom de 60 caractères au plus.
messagerie-erreur-deplacer = Ce message ne peut pas être déplacé là.
messagerie-erreur-piece-jointe = Une pièce jointe n’a pas pu être reprise : joignez-la de nouveau.
messagerie-erreur-fichier-trop-gros = Le fichier « { $nom } » dépasse la taille maximale de { $taille } Mo : il n’a pas été joint et rien n’a été envoyé.
messagerie-erreur-trop-de-fichiers = { $nombre } pièces jointes au plus par message.
messagerie-erreur-envoi-fichier = Un fichier n’a pas pu être reçu : joignez-le de nouveau.
messagerie-erreur-quota = Espace insuffisant : vous utilisez { $utilise } sur { $quota } (documents et pièces jointes) et ces pièces jointes ({ $taille }) ne tiennent pas dans les { $reste } restants. Rien n’a été enregistré ; libérez de la place ou joignez moins de fichiers.
messagerie-erreur-pieces-trop-grosses = Les pièces jointes d’un message ne peuvent pas dépasser { $max } au total (ici { $taille }). Rien n’a été enregistré.
messagerie-erreur-limite-brouillons = Vous avez enregistré trop de brouillons : réessayez dans { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}. Rien n’a été enregistré.
messagerie-erreur-pieces-total = Les pièces jointes d’un message ne peuvent pas dépasser { $max } au total. Rien n’a été enregistré.
messagerie-erreur-espace-insuffisant = Espace insuffisant pour ces pièces jointes : il vous reste { $reste } (documents et pièces jointes comptent ensemble). Rien n’a été enregistré.
messagerie-api-corps-json = Envoyez le message en JSON : {"{"}"recipients": […], "subject": …, "body": …{"}"}.
messagerie-api-liste-inconnue = Liste inconnue : utilisez parents-CLASSE, enseignants-CLASSE ou eleves-CLASSE.
# Administration : règles de communication, signalements, suspensions.
communication-titre = Règles de communication
communication-titre-court = Règles de communication
communication-intro = Qui peut écrire à qui dans la messagerie de l’établissement. Chaque case dit, pour un profil qui écrit (ligne), à qui de l’autre profil (colonne) il peut écrire : personne, seulement les personnes liées, ou tous ceux de l’établissement.
communication-par-defaut = Ce sont les règles par défaut.
communication-modifie-le = Modifiées le { $date }.
communication-legende = Qui peut écrire à qui
communication-depuis = Les { $qui }…
communication-vers = …aux { $qui }
communication-cellule = Des { $de } vers les { $a }
communication-eleves = élèves
communication-parents = parents
communication-enseignants = enseignants
communication-personnels = personnels
communication-personne = Personne
communication-lies = Liés seulement
communication-tous = Tous
communication-enregistrer = Enregistrer les règles
communication-defauts = Revenir aux règles par défaut
communication-fait-enregistre = Les règles ont été enregistrées.
communication-fait-defauts = Les règles par défaut sont rétablies.
communication-erreur-valeur = Chaque case doit valoir « Personne », « Liés seulement » ou « Tous » : rien n’a été changé.
communication-lies-titre = Ce que veut dire « liés »
communication-lies-intro = Pour chaque case, « Liés seulement » autorise :
communication-lies-eleve-eleve = Élèves vers élèves : les élèves d’une de leurs classes ou d’un de leurs groupes.
communication-lies-eleve-parent = Élèves vers parents : leurs propres parents.
communication-lies-eleve-enseignant = Élèves vers enseignants : les enseignants d’une de leurs classes ou d’un de leurs groupes.
communication-lies-eleve-personnel = Élèves vers personnels : la vie scolaire, la direction et le secrétariat (pas tous les personnels).
communication-lies-parent-eleve = Parents vers élèves : leurs propres enfants.
communication-lies-parent-parent = Parents vers parents : les autres parents de leurs enfants.
communication-lies-parent-enseignant = Parents vers enseignants : les enseignants de leurs enfants.
communication-lies-parent-personnel = Parents vers personnels : la vie scolaire, la direction et le secrétariat.
communication-lies-enseignant-eleve = Enseignants vers élèves : les élèves des classes et groupes où ils enseignent.
communication-lies-enseignant-parent = Enseignants vers parents : les parents des élèves à qui ils enseignent.
communication-lies-enseignant-enseignant = Enseignants vers enseignants : les collègues qui enseignent dans une de leurs classes ou un de leurs groupes.
communication-lies-enseignant-personnel = Enseignants vers personnels : la vie scolaire, la direction et le secrétariat.
communication-lies-personnel-eleve = Personnels vers élèves : tous les élèves de l’établissement.
communication-lies-personnel-parent = Personnels vers parents : tous les parents de l’établissement.
communication-lies-personnel-enseignant = Personnels vers enseignants : tous les enseignants de l’établissement.
communication-lies-personnel-personnel = Personnels vers personnels : la vie scolaire, la direction et le secrétariat.
signalements-titre = Signalements de messages
signalements-titre-court = Signalements
signalements-intro = Les messages que leurs destinataires ont signalés. Tant qu’un signalement est ouvert, la conversation est gelée : personne ne peut y répondre.
signalements-ouverts = { $nombre ->
    [0] Aucun signalement ouvert.
    [one] 1 signalement ouvert.
   *[other] { $nombre } signalements ouverts.
}
signalement-titre = Signalement d’un message
signalement-date = Signalé le
signalement-par = Signalé par
signalement-etat = État
signalement-motif = Motif
signalement-sans-motif = (aucun motif donné)
signalement-ouvert = Ouvert : conversation gelée
signalement-examine = Examiné le { $date }
signalement-examine-suspendu = Examiné le { $date } ; messagerie de l’expéditeur suspendue
signalement-expediteur-suspendu = messagerie suspendue
signalement-examen = Examen
signalement-examen-aide = Lever le gel permet de nouveau les réponses. Vous pouvez en même temps suspendre la messagerie de l’expéditeur : il ne pourra plus envoyer de message jusqu’à ce qu’un administrateur la rétablisse depuis sa fiche.
signalement-lever-gel = Lever le gel
signalement-lever-gel-suspendre = Lever le gel et suspendre la messagerie de l’expéditeur
signalement-fait-examine = Le signalement est examiné : la conversation n’est plus gelée.
signalement-fait-examine-suspendu = Le signalement est examiné : la conversation n’est plus gelée et la messagerie de l’expéditeur est suspendue.
signalement-erreur-deja-examine = Ce signalement a déjà été examiné.
admin-suspendre-messagerie = Suspendre la messagerie
admin-suspendre-messagerie-aide = La personne ne pourra plus envoyer de message ; elle continue de recevoir et de lire les siens.
admin-retablir-messagerie = Rétablir la messagerie
admin-messagerie-suspendue = Sa messagerie est suspendue.
admin-retablir-messagerie-aide = La personne pourra de nouveau envoyer des messages.
admin-fait-messagerie-suspendue = La messagerie de la personne est suspendue.
admin-fait-messagerie-retablie = La messagerie de la personne est rétablie.
journal-action-regles-communication = Règles de communication modifiées
journal-action-signalement = Message signalé
journal-action-signalement-examine = Signalement examiné
journal-action-messagerie-suspendue = Messagerie suspendue
journal-action-messagerie-retablie = Messagerie rétablie

## Issue 14 (formulaires) : fichiers trop gros nommés, parents avec leurs enfants, clés à usage unique.
messagerie-erreur-fichiers-trop-gros = Les fichiers { $noms } dépassent chacun la taille maximale de { $taille } Mo : ils n’ont pas été joints et rien n’a été envoyé.
messagerie-accuse-parent = { $nom } ({ $enfants })
messagerie-accuse-enfant = { $lien ->
    [mere] mère
    [pere] père
    [tuteur] tuteur ou tutrice
   *[autre] parent
} de { $prenom }, { $classe }
formulaire-cle-invalide = La clé à usage unique (Idempotency-Key) doit faire 32 chiffres hexadécimaux ou être un UUID.
# Issue 14 §8 (roles) : la tuile d'un parent.
tuile-messagerie-desc-parent = Écrire aux enseignants de vos enfants, à la vie scolaire et lire vos messages

# Phone first (issue 14 §11): the folders fold into one control on a phone.
messagerie-dossiers-replies = Dossiers

# ---- Recipients' lists picker (issue 14 §12, design) ----
messagerie-listes-groupe-parents = Parents d’élèves
messagerie-listes-groupe-eleves = Élèves
messagerie-listes-groupe-enseignants = Équipes pédagogiques
messagerie-listes-nombre = { $nombre ->
    [one] { $nombre } liste
   *[other] { $nombre } listes
}
messagerie-listes-choisies = { $nombre ->
    [0] aucune choisie
    [one] { $nombre } choisie
   *[other] { $nombre } choisies
}
messagerie-listes-filtre = Filtrer les listes
messagerie-listes-filtre-aide = Tapez le nom d’une classe, par exemple 4B.
messagerie-listes-filtre-aucune = Aucune liste ne correspond.
