# Activation (code → mot de passe → charte), charte, récupération, courriers.
activation-titre = Activer mon compte
activation-etape-1 = Étape 1 : le code
activation-etape-3 = Étape 3 sur 3 : la charte
activation-intro = L’identifiant et le code d’activation sont imprimés sur le courrier remis par l’établissement.
activation-identifiant-aide = Imprimé sur le courrier, par exemple prenom.nom
activation-code = Code d’activation
activation-code-aide = 12 lettres et chiffres, par exemple ABCD-EFGH-JKMN. Les tirets et les espaces ne comptent pas ; il n’y a ni 0 ni O, ni 1 ni I.
activation-bouton = Continuer
activation-deja-active = Compte déjà activé ? Se connecter
activation-erreur-champs = L’identifiant et le code du courrier sont tous deux nécessaires.
activation-erreur-code = Identifiant ou code incorrect : ils se recopient exactement comme sur le courrier de l’établissement.
activation-erreur-expire = Ce code a expiré : un nouveau courrier se demande au secrétariat ou à la vie scolaire.
activation-reprendre = L’activation a pris trop de temps ou le code a changé : il faut recommencer avec le code du courrier.
activation-bonjour = Bonjour { $prenom },
activation-mdp-titre = Choisir mon mot de passe
activation-mdp-bouton = Continuer
charte-titre = Charte d’utilisation
charte-accepte = J’ai lu la charte et je m’engage à la respecter.
charte-bouton = Accepter et continuer
charte-erreur-cocher = La case doit être cochée pour accepter la charte.
charte-erreur-versions = Le formulaire est incomplet : il faut recharger la page.
charte-changee = La charte vient d’être modifiée par l’établissement : la nouvelle version est ci-dessous.
charte-erreur-vide = La charte ne peut pas être vide.
charte-erreur-longue = La charte est trop longue (20 000 caractères au plus).
charte-admin-titre = Charte d’utilisation
charte-admin-titre-court = Charte d’utilisation
charte-admin-intro = Chaque personne accepte cette charte à l’activation de son compte. Si vous la modifiez, chacun devra accepter la nouvelle version à sa prochaine visite.
charte-admin-defaut = Charte par défaut de Cartable (jamais modifiée).
charte-admin-version = Version { $version }
charte-admin-modifiee-le = modifiée le { $date }
charte-admin-texte = Texte de la charte
charte-admin-texte-aide = Texte simple ; une ligne vide sépare deux paragraphes.
charte-admin-bouton = Enregistrer une nouvelle version
charte-admin-enregistree = La nouvelle version de la charte est enregistrée.
oubli-titre = Mot de passe oublié
oubli-intro = Saisissez votre identifiant. Si votre compte a une adresse électronique vérifiée, vous recevrez un lien pour choisir un nouveau mot de passe.
oubli-eleves = Élèves : demandez un nouveau code à votre professeur principal, au CPE ou à la vie scolaire.
oubli-bouton = Recevoir un lien
oubli-envoye = Si un compte avec une adresse vérifiée correspond à cet identifiant, un courriel vient de lui être envoyé. Le lien fonctionne une seule fois et pour peu de temps. Rien reçu ? Vérifiez les indésirables, ou adressez-vous à l’établissement.
oubli-retour-connexion = Retour à la connexion
oubli-erreur-identifiant = Saisissez votre identifiant.
oubli-lien-perime = Ce lien ne fonctionne plus : il a déjà servi ou il a expiré. Demandez-en un nouveau ci-dessous.
oubli-nouveau-titre = Choisir un nouveau mot de passe
oubli-nouveau-intro = Compte : { $identifiant }. Vos autres sessions seront terminées.
oubli-nouveau-bouton = Enregistrer le mot de passe
connexion-activer = Première connexion ? Activez votre compte avec le code du courrier
connexion-oubli-lien = Mot de passe oublié ?
connexion-mdp-change = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
courriers-titre = Courriers d’activation
courriers-titre-court = Courriers d’activation
courriers-intro = Chaque courrier donne l’identifiant et un code d’activation à usage unique, avec l’adresse { $adresse }. Seuls les comptes pas encore activés reçoivent un courrier. Imprimer un courrier crée un nouveau code : celui d’un courrier précédent ne fonctionne plus.
courriers-validite = { $jours ->
    [one] Les codes sont valables { $jours } jour.
   *[other] Les codes sont valables { $jours } jours.
}
courriers-total = { $nombre ->
    [0] Aucun compte n’attend de courrier.
    [one] { $nombre } compte attend son courrier.
   *[other] { $nombre } comptes attendent leur courrier.
}
courriers-groupe = Classe
courriers-eleves = Élèves
courriers-parents = Responsables
courriers-personnels-nombre = Personnels
courriers-imprimer = Imprimer
courriers-pdf = Courriers (PDF)
courriers-imprimer-classe = Imprimer les courriers : { $groupe }
courriers-classe = Classe { $classe }
courriers-personnels = Personnels et enseignants
courriers-tout = Imprimer tous les courriers de l’établissement (PDF)
courriers-tout-aide = Un PDF, une page par personne : les personnels d’abord, puis classe par classe, chaque élève suivi de ses responsables. Les comptes qui appartiennent aussi à un établissement que vous n’administrez pas n’y figurent pas : l’administrateur de la plateforme imprime les leurs.
courriers-personne = Imprimer son courrier d’activation (PDF)
courriers-personne-aide = Le compte n’est pas encore activé. Le nouveau courrier remplace le précédent.
courriers-erreur-aucun = Aucun compte à activer ici : il n’y a pas de courrier à imprimer.
courriers-erreur-deja-active = Ce compte est déjà activé. Pour un mot de passe perdu, donnez un nouveau mot de passe.
import-titre = Importer un fichier
import-titre-court = Importer un fichier (élèves, parents, enseignants)
import-intro = Importez un tableur enregistré au format CSV (séparateur point-virgule ou virgule, UTF-8 ou Windows-1252). Rien n’est enregistré avant votre confirmation : vous verrez d’abord ce que l’import créera, modifiera ou laissera tel quel, et chaque ligne en erreur.
import-format-eleves = Élèves : Nom ; Prénom ; Date de naissance (JJ/MM/AAAA) ; Classe ; Identifiant national (INE, facultatif)
import-format-parents = Parents : une ligne par lien entre un responsable et un élève (nom, prénom et date de naissance de l’élève, lien, autorité parentale, courriel…)
import-format-enseignants = Enseignants : Nom ; Prénom ; Courriel ; Disciplines ; Classes
import-format-aide = Importez les élèves avant leurs parents. Le même fichier importé deux fois ne change rien la seconde fois.
import-fichier = Fichier CSV
import-fichier-aide = 5 Mo au plus.
import-type = Contenu du fichier
import-type-auto = Reconnaître d’après la première ligne
import-type-eleves = Élèves
import-type-parents = Parents
import-type-enseignants = Enseignants
import-apercu-bouton = Voir ce que l’import ferait
import-apercu-titre = Aperçu de l’import
import-apercu-intro = Le fichier est valide. Rien n’est encore enregistré : vérifiez, puis confirmez.
import-fait-titre = Import terminé
import-fait = L’import est enregistré. Les nouveaux comptes attendent leur courrier d’activation.
import-refuse = Le fichier est refusé : rien n’a été enregistré. Corrigez les lignes ci-dessous dans le tableur, puis importez-le de nouveau.
import-erreurs = Lignes en erreur
import-bilan = Bilan
import-rien = Ce fichier ne change rien : tout est déjà à jour.
import-details = Détail
import-lignes-omises = … et { $nombre } autres lignes.
import-avertissements = Avertissements
import-erreurs-omises = { $nombre ->
    [one] … et une autre ligne en erreur, non affichée. Corrigez les lignes ci-dessus, puis importez de nouveau le fichier.
   *[other] … et { $nombre } autres lignes en erreur, non affichées. Corrigez les lignes ci-dessus, puis importez de nouveau le fichier.
}
import-avertissements-omis = { $nombre ->
    [one] … et un autre avertissement, non affiché.
   *[other] … et { $nombre } autres avertissements, non affichés.
}
import-confirmer = Confirmer l’import
import-confirmer-aide = L’import se fait en une seule fois : tout le fichier, ou rien.
import-annuler = Annuler et choisir un autre fichier
import-vers-courriers = Imprimer les courriers d’activation
import-bilan-eleves = Élèves : { $crees } créés, { $modifies } modifiés, { $inchanges } inchangés
import-bilan-parents = Responsables : { $crees } créés, { $modifies } modifiés, { $inchanges } inchangés
import-bilan-enseignants = Enseignants : { $crees } créés, { $modifies } modifiés, { $inchanges } inchangés
import-bilan-liens = { $nombre ->
    [one] { $nombre } lien parent–élève créé
   *[other] { $nombre } liens parent–élève créés
}
import-bilan-matieres = { $nombre ->
    [one] { $nombre } matière créée
   *[other] { $nombre } matières créées
}
import-bilan-enseignements = { $nombre ->
    [one] { $nombre } enseignement créé
   *[other] { $nombre } enseignements créés
}
import-erreur-vide = Choisissez un fichier à importer.
import-erreur-taille = Le fichier dépasse 5 Mo. Découpez-le ou vérifiez qu’il s’agit bien d’un fichier CSV.
import-erreur-type = Le contenu du fichier n’a pas pu être reconnu d’après sa première ligne. Choisissez « Élèves », « Parents » ou « Enseignants ».
import-erreur-type-inconnu = Choisissez un contenu dans la liste.
import-erreur-envoi = Le fichier n’a pas été reçu en entier. Réessayez.
import-erreur-perime = L’aperçu a expiré ou a déjà été confirmé. Importez de nouveau le fichier.
# Issue 14 §8 (roles) : un registre par public, comme sur le courrier : « tu » aux élèves,
# « vous » aux adultes ($registre : tu ou vous). La première étape ne sait pas encore à qui elle
# parle : ses textes ci-dessus ne tutoient ni ne vouvoient.
activation-etape-2-selon = { $registre ->
    [tu] Étape 2 sur { $total } : ton mot de passe
   *[vous] Étape 2 sur { $total } : votre mot de passe
}
activation-mdp-intro-selon = { $registre ->
    [tu] Choisis ton mot de passe personnel. Tu l’utiliseras à chaque connexion ; le code du courrier ne servira plus.
   *[vous] Choisissez votre mot de passe personnel. Vous l’utiliserez à chaque connexion ; le code du courrier ne servira plus.
}
charte-intro-selon = { $registre ->
    [tu] Lis la charte de ton établissement. Tu dois l’accepter pour utiliser l’espace numérique de travail.
   *[vous] Lisez la charte de votre établissement. Vous devez l’accepter pour utiliser l’espace numérique de travail.
}
