# Texts shared by every page. French is the reference language: every key must exist there.
app-nom = Cartable
app-description = The digital workspace of your school.
lien-contenu = Skip to content
langue-choisir = Language
erreur-introuvable = This page does not exist or you do not have access to it.
erreur-interdit = You are not allowed to do this.
erreur-connexion-requise = Sign in to continue.
erreur-saisie = Some information needs correcting.
erreur-conflit = This item was changed meanwhile: reload the page and try again.
erreur-csrf = The form has expired: reload the page and try again.
erreur-trop-de-tentatives = Too many attempts: try again in { $secondes ->
    [one] { $secondes } second
   *[other] { $secondes } seconds
}.
erreur-interne = An internal error occurred. Try again in a moment; if it persists, report it with the number { $numero }.
erreur-corps-trop-gros = The request is too large.
api-connexion-corps = Send { "{" }"login": …, "password": …{ "}" } as JSON.
