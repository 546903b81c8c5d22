# Sign-in, portal, profile, sessions.
connexion-titre = Sign in
connexion-intro = Sign in with the login and password your school gave you.
connexion-identifiant = Login
connexion-identifiant-aide = For example firstname.lastname
connexion-mot-de-passe = Password
connexion-bouton = Sign in
connexion-erreur-identifiants = Wrong login or password. Check upper and lower case and try again.
connexion-erreur-desactive = This account is disabled. Please contact the school office.
connexion-erreur-en-attente = This account is not activated yet. Use the activation code your school gave you.
connexion-erreur-bloque = Too many attempts for this account. Try again in { $secondes ->
    [one] { $secondes } second
   *[other] { $secondes } seconds
}.
connexion-erreur-champs = Enter your login and your password.
connexion-oubli = Forgot your password? Pupils ask their head teacher or the vie scolaire.
deconnexion-bouton = Sign out
menu-principal = Main menu
menu-portail = Home
menu-profil = My profile
menu-sessions = My sessions
menu-administration = Administration
portail-titre = Hello { $prenom }
portail-applications = Your applications
tuile-profil = My profile
tuile-profil-desc = Your details and your schools
tuile-sessions = My sessions
tuile-sessions-desc = The devices signed in to your account
tuile-ma-classe = My class
tuile-ma-classe-desc = Your head teacher, your teachers and the pupils of your class
tuile-mes-classes = My classes
tuile-mes-classes-desc = The classes you teach
tuile-etablissement = School classes
tuile-etablissement-desc = All the classes of { $etablissement }
enfants-titre = My children
enfants-choisir = Child shown
enfants-afficher = Show
enfant-classe = Class: { $classe }
enfant-aucun = No child is linked to your account.
role-eleve = Pupil
role-parent = Parent
role-enseignant = Teacher
role-personnel = Staff
role-direction = Management
role-cpe = Head of pupil life (CPE)
role-aed = Education assistant
role-secretariat = Office
role-gestion = Finance
role-infirmerie = Nurse
role-documentation = Library (CDI)
role-psychologue = Psychologist
role-autre = Staff
role-admin-local = School administrator
role-admin-plateforme = Platform administrator
profil-titre = Profile
profil-identifiant = Login
profil-profils = Schools and roles
profil-classes = Classes
profil-enfants = Children
classe-titre = Class { $classe }
classe-eleves = { $nombre ->
    [one] { $nombre } pupil
   *[other] { $nombre } pupils
}
classe-vide = This class has no pupils yet.
sessions-titre = My sessions
sessions-intro = Every device or browser signed in to your account. If you do not recognise one, end it and change your password.
sessions-appareil = Device
sessions-adresse = Address
sessions-debut = Signed in
sessions-activite = Last activity
sessions-actuelle = This session
sessions-terminer = End
sessions-terminee = The session was ended.
mdp-titre = Change my password
mdp-lien = Change my password
mdp-intro = Choose a phrase that is easy for you to remember and hard for others to guess: at least 12 characters, spaces and accents allowed. Your other sessions will end.
mdp-actuel = Current password
mdp-nouveau = New password
mdp-nouveau-aide = At least 12 characters. For example four unrelated words.
mdp-confirmation = New password, once more
mdp-bouton = Change the password
mdp-change = Your password was changed. Your other sessions were ended.
mdp-actuel-faux = The current password is wrong.
mdp-differents = The two new passwords are not the same.
mdp-trop-court = The password must have at least 12 characters.
mdp-trop-long = The password must not exceed 256 characters.
mdp-contient-identite = The password must contain neither your login nor your name.
mdp-trop-courant = This password is too common or too simple: choose another one.
# Issue 14 §9, §10 (roles): a class's page (for a parent: without the pupils), what a person is
# (their page and the search results).
classe-equipe = Teaching team
classe-professeur-principal = Head teacher
classe-professeur-principal-aucun = Not named yet
classe-aucun-enseignant = No teaching is recorded for this class yet.
classe-eleves-titre = Pupils of the class
profil-eleve-de = Pupil of { $classes }
profil-parent-de = Parent of { $enfants }
profil-enfant = { $prenom } ({ $classes })
profil-professeur-de = { $elision ->
    [oui] Teacher of { $matieres }
   *[non] Teacher of { $matieres }
}

# Phone first (issue 14 §11): the header folds into a menu on a phone.
menu-ouvrir = Menu

# ---- Portal cards (issue 14 §12, design) ----
carte-messagerie-non-lus = { $nombre ->
    [one] { $nombre } unread message
   *[other] { $nombre } unread messages
}
carte-messagerie-aucun = No unread message.
carte-messagerie-lire = Read my messages
carte-messagerie-ecrire = Write a message
carte-documents-ouvrir = Open my documents
carte-administration-ouvrir = Open the administration
carte-profil-notifications = Choose my notifications
carte-sessions-voir = See my devices
carte-actualites-vide-suite = Messages you receive will show here.
