# Administration: accounts, search, audit log.
tuile-administration = Administration
tuile-administration-desc = People’s accounts and the sign-in log
admin-titre = Administration
admin-intro = The establishments you administer. Search for a person to see their account, disable it or give them a new password.
admin-aucun-etablissement = No establishment yet.
admin-rechercher-personnes = Search for a person
admin-recherche-titre = Search for a person
admin-recherche-nom = Surname or first name
admin-recherche-aide = The beginning of the surname, the first name or both; accents and capitals do not matter.
admin-rechercher = Search
admin-resultats-titre = Results
admin-resultats = { $nombre ->
    [0] Nobody found.
    [one] { $nombre } person found.
   *[other] { $nombre } people found.
}
admin-nom = Name
admin-roles = Roles
admin-etat = Account state
admin-derniere-connexion = Last sign-in
admin-mot-de-passe-defini = Password set on
admin-jamais = Never
admin-parents = Parents
admin-voir-journal = See their log
admin-actions = Account actions
admin-desactiver = Disable the account
admin-desactiver-aide = The person will no longer be able to sign in; their current sessions end.
admin-reactiver = Re-enable the account
admin-reactiver-aide = The person will be able to sign in with their password again.
admin-reinitialiser = Give a new password
admin-reinitialiser-aide = A one-time code replaces the current password; current sessions end.
admin-fait-desactive = The account was disabled and its sessions ended.
admin-fait-reactive = The account was re-enabled.
admin-code-titre = New password
admin-code-intro = The password was replaced and the person’s sessions ended.
admin-code = One-time code
admin-code-une-fois = Give this code to the person: they sign in with their login and this code. It is shown only once; write it down now.
admin-retour-personne = Back to the account
etat-en-attente = Waiting for activation
etat-actif = Active
etat-desactive = Disabled
etat-parti = Left on { $date }
journal-titre = Audit log
journal-titre-court = Log
journal-filtres = Log filters
journal-personne = Person (login)
journal-personne-aide = For example firstname.surname; empty for everyone.
journal-action = Action
journal-toutes = All actions
journal-du = From
journal-au = To
journal-date-aide = As DD/MM/YYYY, optional.
journal-date-invalide = Invalid date: write it as DD/MM/YYYY, for example 01/09/2026.
journal-filtrer = Filter
journal-tronque = Only the 200 most recent actions are shown: narrow the dates to see older ones.
journal-quand = Date and time (Paris)
journal-qui = By
journal-cible = Account concerned
journal-lignes = { $nombre ->
    [0] No action.
    [one] { $nombre } action.
   *[other] { $nombre } actions.
}
journal-action-connexion = Sign-in
journal-action-echec = Sign-in refused
journal-action-deconnexion = Sign-out
journal-action-session-terminee = Session ended
journal-action-mot-de-passe-change = Password changed
journal-action-desactivation = Account disabled
journal-action-reactivation = Account re-enabled
journal-action-reinitialisation = New password given
journal-action-courrier = Activation letter printed
journal-action-activation = Account activated
journal-action-charte-acceptee = Charter accepted
journal-action-charte-modifiee = Charter changed
journal-action-recuperation-demandee = Password recovery asked for
journal-action-recuperation = Password chosen through a recovery link
journal-action-import = File imported
journal-action-courriel-reessaye = Mail sent again
journal-action-courriel-annule = Mail cancelled
journal-echec-identifiant = unknown login
journal-echec-mot-de-passe = wrong password
journal-echec-desactive = account disabled
journal-echec-en-attente = account not activated
journal-echec-bloque = too many attempts
