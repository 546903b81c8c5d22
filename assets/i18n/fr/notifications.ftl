# Actualités du portail et préférences de notification.
actualites-titre = Actualités
actualites-aucune = Rien de nouveau pour l’instant.
actualites-toutes = Toutes les actualités
actualite-message = Message de { $de } : { $objet }
actualite-message-accuse = Message de { $de } : { $objet } (accusé de lecture demandé)
actualite-signalement = Un message a été signalé : à examiner
notifications-titre = Notifications par courriel
notifications-intro = Choisissez ce qui vous est envoyé par courriel, et quand. Tout reste visible dans les actualités de votre page d’accueil.
notifications-sans-courriel = Votre compte n’a pas d’adresse électronique : aucun courriel ne vous est envoyé. Demandez à l’établissement de l’ajouter.
notifications-quoi = M’écrire quand…
notifications-messages = un message m’arrive
notifications-signalements = un message signalé est à examiner (administrateurs)
notifications-quand = Quand
notifications-resume = Un seul courriel par jour, à 17 h, qui résume tout
notifications-calme = Heures calmes : les courriels attendent la fin de la période
notifications-calme-debut = Début des heures calmes
notifications-calme-fin = Fin des heures calmes
notifications-week-end = Calme aussi tout le week-end (jusqu’au lundi)
notifications-bouton = Enregistrer
notifications-enregistre = Vos préférences sont enregistrées.
notifications-erreur-heures = Indiquez un début et une fin différents, au format HH:MM (par exemple 20:00 et 07:00).
actualites-non-remis = Courriels non remis
actualites-non-remis-intro = Ces personnes n’ont pas pu être prévenues par courriel de vos messages (adresse refusée par leur messagerie). Vos messages restent lisibles dans leur messagerie Cartable.
# Les courriels de notification (src/domain/notifications.rs, rendus par src/mail/templates.rs).
notification-message-objet = Nouveau message de { $de } : { $objet }
notification-message-corps =
    { $de } { $registre ->
        [tu] t’a écrit
       *[vous] vous a écrit
    } sur Cartable : « { $objet } ».

    { $extrait }

    { $accuse ->
        [oui]
            L’expéditeur demande un accusé de lecture (« Vu et signé »).

            Lire le message : { $lien }
       *[non] Lire le message : { $lien }
    }
notification-signalement-objet = Cartable : un message a été signalé
notification-signalement-corps =
    Un message a été signalé dans votre établissement. La discussion est gelée jusqu’à votre examen.

    Examiner le signalement : { $lien }
notification-resume-objet = Cartable : { $registre ->
        [tu] ton
       *[vous] votre
    } résumé du jour ({ $nombre } { $nombre ->
        [one] nouveauté
       *[other] nouveautés
    })
notification-resume-corps =
    Voici ce qui s’est passé pour { $registre ->
        [tu] toi
       *[vous] vous
    } sur Cartable :

    { $lignes }
notification-resume-ligne = - { $quand } — { $quoi }
# Issue 14 §8 (roles) : le choix des signalements, réservé à ceux qui les reçoivent.
notifications-signalements-reserve = Seuls les administrateurs de l’établissement reçoivent les signalements : ce choix ne vous concerne pas.
