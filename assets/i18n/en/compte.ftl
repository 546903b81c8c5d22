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
portail-titre = Hello { $prenom }
portail-applications = Your applications
tuile-profil = My profile
tuile-profil-desc = Your details and your schools
tuile-sessions = My sessions
tuile-sessions-desc = The devices signed in to your account
tuile-ma-classe = My class
tuile-ma-classe-desc = The pupils of your class
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
