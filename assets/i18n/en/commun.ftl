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

## Error pages (issue 14): titles, number, way back.
erreur-titre = Error
erreur-titre-requete = Bad request
erreur-titre-connexion = Sign-in required
erreur-titre-interdit = Access denied
erreur-titre-introuvable = Page not found
erreur-titre-methode = Action not possible here
erreur-titre-conflit = Changed meanwhile
erreur-titre-trop-gros = Upload too large
erreur-titre-saisie = Information to correct
erreur-titre-tentatives = Too many attempts
erreur-titre-interne = Internal error
erreur-numero = Error number, to quote when reporting it:
erreur-page-precedente = Back to the previous page
erreur-retour-portail = Back to the portal
erreur-se-connecter = Go to the sign-in page
erreur-parametre = The address of this page holds a wrong value. Go back to the previous page or to the portal.
erreur-formulaire = The form sent is incomplete or wrong: reload the page and try again.
erreur-requete = This request is not valid. Go back to the previous page or to the portal.
erreur-methode = This action is not possible at this address.
