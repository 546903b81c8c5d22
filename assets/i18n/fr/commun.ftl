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
