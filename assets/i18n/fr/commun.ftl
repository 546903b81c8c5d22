# Textes communs à toutes les pages. Le français est la langue de référence :
# toute clé doit exister ici ; l’anglais la traduit.
app-nom = Cartable
app-description = L’espace numérique de travail de votre collège ou lycée.
lien-contenu = Aller au contenu
langue-choisir = Langue
erreur-introuvable = Cette page n’existe pas ou vous n’y avez pas accès.
erreur-interdit = Vous n’avez pas le droit de faire cela.
erreur-connexion-requise = Connectez-vous pour continuer.
erreur-saisie = Certaines informations sont à corriger.
erreur-conflit = Cet élément a été modifié entre-temps : rechargez la page et recommencez.
erreur-csrf = Le formulaire a expiré : rechargez la page et recommencez.
erreur-trop-de-tentatives = Trop de tentatives : réessayez dans { $secondes ->
    [one] { $secondes } seconde
   *[other] { $secondes } secondes
}.
erreur-interne = Une erreur interne est survenue. Réessayez dans un instant ; si elle persiste, signalez-la avec le numéro { $numero }.
erreur-corps-trop-gros = La requête est trop volumineuse.
api-connexion-corps = Envoyez { "{" }"login": …, "password": …{ "}" } en JSON.

## Les pages d’erreur (issue 14) : titres, numéro, retour.
erreur-titre = Erreur
erreur-titre-requete = Demande incorrecte
erreur-titre-connexion = Connexion requise
erreur-titre-interdit = Accès refusé
erreur-titre-introuvable = Page introuvable
erreur-titre-methode = Action impossible ici
erreur-titre-conflit = Modification simultanée
erreur-titre-trop-gros = Envoi trop volumineux
erreur-titre-saisie = Informations à corriger
erreur-titre-tentatives = Trop de tentatives
erreur-titre-interne = Erreur interne
erreur-numero = Numéro de l’erreur, à indiquer en la signalant :
erreur-page-precedente = Revenir à la page précédente
erreur-retour-portail = Retour au portail
erreur-se-connecter = Aller à la page de connexion
erreur-parametre = L’adresse de cette page contient une valeur incorrecte. Revenez à la page précédente ou au portail.
erreur-formulaire = Le formulaire envoyé est incomplet ou incorrect : rechargez la page et recommencez.
erreur-requete = Cette demande est incorrecte. Revenez à la page précédente ou au portail.
erreur-methode = Cette action n’est pas possible à cette adresse.
