# Cartable's mails (src/mail/templates.rs): for each, the subject (`-objet`) and the plain
# text (`-corps`; Cartable adds the final line break). Empty lines count.
courriel-recuperation-objet = Recovering { $registre ->
   *[vous] your
} Cartable password
courriel-recuperation-corps =
    Hello { $prenom },

    Someone (probably you) asked to choose a new password for the Cartable account “{ $identifiant }”.

    To choose it, open this link within { $minutes } minutes:
    { $lien }

    The link works only once. If you did not ask for anything, ignore this message: your current password stays valid.

    — Cartable, your school’s digital workspace
courriel-test-objet = Cartable: test mail
courriel-test-corps =
    Hello,

    This test mail was sent by Cartable ({ $instance }) with the command “cartable mail test”.

    If you can read it, sending mail works: password recovery links and notifications will leave the same way.

    — Cartable, your school’s digital workspace
