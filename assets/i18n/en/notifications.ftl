# Portal news and notification preferences.
actualites-titre = News
actualites-aucune = Nothing new for now.
actualites-toutes = All news
actualite-message = Message from { $de }: { $objet }
actualite-message-accuse = Message from { $de }: { $objet } (acknowledgement requested)
actualite-signalement = A message was reported: to review
notifications-titre = E-mail notifications
notifications-intro = Choose what is sent to you by e-mail, and when. Everything stays visible in the news of your home page.
notifications-sans-courriel = Your account has no e-mail address: no mail is sent to you. Ask the school to add one.
notifications-quoi = Write to me when…
notifications-messages = a message arrives
notifications-signalements = a reported message needs reviewing (administrators)
notifications-quand = When
notifications-resume = A single mail a day, at 5 pm, summing everything up
notifications-calme = Quiet hours: mails wait until the end of the period
notifications-calme-debut = Start of quiet hours
notifications-calme-fin = End of quiet hours
notifications-week-end = Quiet the whole weekend too (until Monday)
notifications-bouton = Save
notifications-enregistre = Your preferences are saved.
notifications-erreur-heures = Give a different start and end, as HH:MM (for example 20:00 and 07:00).
actualites-non-remis = Undelivered mails
actualites-non-remis-intro = These people could not be told of your messages by e-mail (address refused by their mail server). Your messages stay readable in their Cartable messaging.
# Notification mails (src/domain/notifications.rs, rendered by src/mail/templates.rs).
notification-message-objet = New message from { $de }: { $objet }
notification-message-corps =
    { $de } { $registre ->
       *[vous] wrote
    } to you on Cartable: “{ $objet }”.

    { $extrait }

    { $accuse ->
        [oui]
            The sender asks for a read receipt (“Seen and signed”).

            Read the message: { $lien }
       *[non] Read the message: { $lien }
    }
notification-signalement-objet = Cartable: a message was reported
notification-signalement-corps =
    A message was reported in your school. The conversation is frozen until you review it.

    Review the report: { $lien }
notification-resume-objet = Cartable: { $registre ->
       *[vous] your
    } daily summary ({ $nombre } { $nombre ->
        [one] new item
       *[other] new items
    })
notification-resume-corps =
    Here is what happened for you on Cartable:

    { $lignes }
notification-resume-ligne = - { $quand } — { $quoi }
# Issue 14 §8 (roles): the reports choice, for those who receive them.
notifications-signalements-reserve = Only the school's administrators receive reports: this choice does not apply to you.
