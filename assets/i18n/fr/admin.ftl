# Administration : comptes, recherche, journal.
tuile-administration = Administration
tuile-administration-desc = Comptes des personnes et journal des connexions
admin-titre = Administration
admin-intro = Les établissements que vous administrez. Recherchez une personne pour voir son compte, le désactiver ou lui donner un nouveau mot de passe.
admin-aucun-etablissement = Aucun établissement pour l’instant.
admin-rechercher-personnes = Rechercher une personne
admin-recherche-titre = Rechercher une personne
admin-recherche-nom = Nom ou prénom
admin-recherche-aide = Le début du nom, du prénom ou des deux, sans se soucier des accents ni des majuscules.
admin-rechercher = Rechercher
admin-resultats-titre = Résultats
admin-resultats = { $nombre ->
    [0] Aucune personne trouvée.
    [one] { $nombre } personne trouvée.
   *[other] { $nombre } personnes trouvées.
}
admin-nom = Nom
admin-roles = Rôles
admin-etat = État du compte
admin-derniere-connexion = Dernière connexion
admin-mot-de-passe-defini = Mot de passe défini le
admin-jamais = Jamais
admin-parents = Responsables
admin-voir-journal = Voir son journal
admin-actions = Actions sur le compte
admin-desactiver = Désactiver le compte
admin-desactiver-aide = La personne ne pourra plus se connecter ; ses sessions en cours sont terminées.
admin-reactiver = Réactiver le compte
admin-reactiver-aide = La personne pourra de nouveau se connecter avec son mot de passe.
admin-reinitialiser = Donner un nouveau mot de passe
admin-reinitialiser-aide = Un code à usage unique remplace le mot de passe actuel ; les sessions en cours sont terminées.
admin-fait-desactive = Le compte a été désactivé et ses sessions terminées.
admin-fait-reactive = Le compte a été réactivé.
admin-code-titre = Nouveau mot de passe
admin-code-intro = Le mot de passe a été remplacé et les sessions de la personne terminées.
admin-code = Code à usage unique
admin-code-une-fois = Remettez ce code à la personne : elle se connecte avec son identifiant et ce code. Il n’est affiché qu’une fois ; notez-le maintenant.
admin-retour-personne = Retour au compte
etat-en-attente = En attente d’activation
etat-actif = Actif
etat-desactive = Désactivé
etat-parti = Parti le { $date }
journal-titre = Journal des actions
journal-titre-court = Journal
journal-filtres = Filtres du journal
journal-personne = Personne (identifiant)
journal-personne-aide = Par exemple prenom.nom ; vide pour tout le monde.
journal-action = Action
journal-toutes = Toutes les actions
journal-du = Du
journal-au = Au
journal-date-aide = Au format JJ/MM/AAAA, facultatif.
journal-date-invalide = Date invalide : écrivez-la au format JJ/MM/AAAA, par exemple 01/09/2026.
journal-filtrer = Filtrer
journal-tronque = Seules les 200 actions les plus récentes sont affichées : précisez les dates pour voir les plus anciennes.
journal-quand = Date et heure (Paris)
journal-qui = Par
journal-cible = Compte concerné
journal-lignes = { $nombre ->
    [0] Aucune action.
    [one] { $nombre } action.
   *[other] { $nombre } actions.
}
journal-action-connexion = Connexion
journal-action-echec = Connexion refusée
journal-action-deconnexion = Déconnexion
journal-action-session-terminee = Session terminée
journal-action-mot-de-passe-change = Mot de passe changé
journal-action-desactivation = Compte désactivé
journal-action-reactivation = Compte réactivé
journal-action-reinitialisation = Nouveau mot de passe donné
journal-action-courrier = Courrier d’activation imprimé
journal-action-activation = Compte activé
journal-action-charte-acceptee = Charte acceptée
journal-action-charte-modifiee = Charte modifiée
journal-action-recuperation-demandee = Récupération de mot de passe demandée
journal-action-recuperation = Mot de passe choisi par lien de récupération
journal-action-import = Import d’un fichier
journal-action-courriel-reessaye = Courriel remis en envoi
journal-action-courriel-annule = Courriel annulé
journal-echec-identifiant = identifiant inconnu
journal-echec-mot-de-passe = mot de passe faux
journal-echec-desactive = compte désactivé
journal-echec-en-attente = compte non activé
journal-echec-bloque = trop de tentatives
