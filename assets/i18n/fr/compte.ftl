# Connexion, portail, profil, sessions.
connexion-titre = Connexion
connexion-intro = Connectez-vous avec l’identifiant et le mot de passe donnés par votre établissement.
connexion-identifiant = Identifiant
connexion-identifiant-aide = Par exemple prenom.nom
connexion-mot-de-passe = Mot de passe
connexion-bouton = Se connecter
connexion-erreur-identifiants = Identifiant ou mot de passe incorrect. Vérifiez les majuscules et réessayez.
connexion-erreur-desactive = Ce compte est désactivé. Adressez-vous au secrétariat ou à la vie scolaire de l’établissement.
connexion-erreur-en-attente = Ce compte n’est pas encore activé. Utilisez le code d’activation remis par l’établissement.
connexion-erreur-bloque = Trop de tentatives pour ce compte. Réessayez dans { $secondes ->
    [one] { $secondes } seconde
   *[other] { $secondes } secondes
}.
connexion-erreur-champs = Saisissez votre identifiant et votre mot de passe.
connexion-oubli = Mot de passe oublié ? Les élèves s’adressent à leur professeur principal ou à la vie scolaire.
deconnexion-bouton = Se déconnecter
menu-principal = Menu principal
menu-portail = Accueil
menu-profil = Mon profil
menu-sessions = Mes sessions
menu-administration = Administration
portail-titre = Bonjour { $prenom }
portail-applications = Vos applications
tuile-profil = Mon profil
tuile-profil-desc = Vos informations et vos établissements
tuile-sessions = Mes sessions
tuile-sessions-desc = Les appareils connectés à votre compte
tuile-ma-classe = Ma classe
tuile-ma-classe-desc = Votre professeur principal, vos enseignants et les élèves de votre classe
tuile-mes-classes = Mes classes
tuile-mes-classes-desc = Les classes que vous enseignez
tuile-etablissement = Classes de l’établissement
tuile-etablissement-desc = Toutes les classes de { $etablissement }
enfants-titre = Mes enfants
enfants-choisir = Enfant affiché
enfants-afficher = Afficher
enfant-classe = Classe : { $classe }
enfant-aucun = Aucun enfant n’est rattaché à votre compte.
role-eleve = Élève
role-parent = Parent
role-enseignant = Enseignant
role-personnel = Personnel
role-direction = Direction
role-cpe = Conseiller principal d’éducation
role-aed = Assistant d’éducation
role-secretariat = Secrétariat
role-gestion = Gestion
role-infirmerie = Infirmerie
role-documentation = Documentation (CDI)
role-psychologue = Psychologue
role-autre = Personnel
role-admin-local = Administrateur de l’établissement
role-admin-plateforme = Administrateur de la plateforme
profil-titre = Profil
profil-identifiant = Identifiant
profil-profils = Établissements et rôles
profil-classes = Classes
profil-enfants = Enfants
classe-titre = Classe { $classe }
classe-eleves = { $nombre ->
    [one] { $nombre } élève
   *[other] { $nombre } élèves
}
classe-vide = Cette classe n’a pas encore d’élèves.
sessions-titre = Mes sessions
sessions-intro = Chaque appareil ou navigateur connecté à votre compte. Si vous n’en reconnaissez pas un, terminez-le et changez votre mot de passe.
sessions-appareil = Appareil
sessions-adresse = Adresse
sessions-debut = Connexion
sessions-activite = Dernière activité
sessions-actuelle = Cette session
sessions-terminer = Terminer
sessions-terminee = La session a été terminée.
mdp-titre = Changer mon mot de passe
mdp-lien = Changer mon mot de passe
mdp-intro = Choisissez une phrase facile à retenir pour vous et difficile à deviner pour les autres : au moins 12 caractères, espaces et accents permis. Vos autres sessions seront terminées.
mdp-actuel = Mot de passe actuel
mdp-nouveau = Nouveau mot de passe
mdp-nouveau-aide = Au moins 12 caractères. Par exemple quatre mots sans rapport entre eux.
mdp-confirmation = Nouveau mot de passe, une seconde fois
mdp-bouton = Changer le mot de passe
mdp-change = Votre mot de passe a été changé. Vos autres sessions ont été terminées.
mdp-actuel-faux = Le mot de passe actuel est incorrect.
mdp-differents = Les deux nouveaux mots de passe ne sont pas identiques.
mdp-trop-court = Le mot de passe doit faire au moins 12 caractères.
mdp-trop-long = Le mot de passe ne doit pas dépasser 256 caractères.
mdp-contient-identite = Le mot de passe ne doit contenir ni l’identifiant ni le nom du compte.
mdp-trop-courant = Ce mot de passe est trop courant ou trop simple : il en faut un autre.
# Issue 14 §9, §10 (roles) : la page d'une classe (pour un parent : sans les élèves), ce qu'est
# une personne (sa fiche et les résultats de recherche).
classe-equipe = Équipe pédagogique
classe-professeur-principal = Professeur principal
classe-professeur-principal-aucun = Pas encore désigné
classe-aucun-enseignant = Aucun enseignement n’est encore inscrit pour cette classe.
classe-eleves-titre = Élèves de la classe
profil-eleve-de = Élève de { $classes }
profil-parent-de = Parent de { $enfants }
profil-enfant = { $prenom } ({ $classes })
profil-professeur-de = { $elision ->
    [oui] Professeur d’{ $matieres }
   *[non] Professeur de { $matieres }
}

# Phone first (issue 14 §11): the header folds into a menu on a phone.
menu-ouvrir = Menu

# ---- Portal cards (issue 14 §12, design) ----
carte-messagerie-non-lus = { $nombre ->
    [one] { $nombre } message non lu
   *[other] { $nombre } messages non lus
}
carte-messagerie-aucun = Aucun message non lu.
carte-messagerie-lire = Lire mes messages
carte-messagerie-ecrire = Écrire un message
carte-documents-ouvrir = Ouvrir mes documents
carte-administration-ouvrir = Ouvrir l’administration
carte-profil-notifications = Choisir mes notifications
carte-sessions-voir = Voir mes appareils
carte-actualites-vide-suite = Les messages reçus s’afficheront ici.
