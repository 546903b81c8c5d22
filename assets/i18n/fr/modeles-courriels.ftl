# Les courriels de Cartable (src/mail/templates.rs) : pour chacun, l’objet (`-objet`) et le
# texte brut (`-corps`, Cartable ajoute le saut de ligne final). Les lignes vides comptent.
courriel-recuperation-objet = { $registre ->
    [tu] Récupération de ton mot de passe Cartable
   *[vous] Récupération de votre mot de passe Cartable
}
courriel-recuperation-corps =
    Bonjour { $prenom },

    { $registre ->
        [tu] Quelqu’un (sans doute toi) a demandé à choisir un nouveau mot de passe pour le compte Cartable « { $identifiant } ».
       *[vous] Quelqu’un (sans doute vous) a demandé à choisir un nouveau mot de passe pour le compte Cartable « { $identifiant } ».
    }

    { $registre ->
        [tu] Pour le choisir, ouvre ce lien dans les { $minutes } minutes :
       *[vous] Pour le choisir, ouvrez ce lien dans les { $minutes } minutes :
    }
    { $lien }

    { $registre ->
        [tu] Le lien ne fonctionne qu’une fois. Si tu n’as rien demandé, ignore ce message : ton mot de passe actuel reste valable.
       *[vous] Le lien ne fonctionne qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe actuel reste valable.
    }

    { $registre ->
        [tu] — Cartable, l’espace numérique de travail de ton établissement
       *[vous] — Cartable, l’espace numérique de travail de votre établissement
    }
courriel-test-objet = Cartable : courriel de test
courriel-test-corps =
    Bonjour,

    Ce courriel de test a été envoyé par Cartable ({ $instance }) avec la commande « cartable mail test ».

    Si vous le lisez, l’envoi des courriels fonctionne : les liens de récupération de mot de passe et les notifications partiront par le même chemin.

    — Cartable, l’espace numérique de travail de votre établissement
