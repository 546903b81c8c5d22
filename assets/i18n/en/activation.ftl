# Activation (code → password → charter), charter, recovery, letters, mail queue.
activation-titre = Activate my account
activation-etape-1 = Step 1: the code
activation-etape-3 = Step 3 of 3: the charter
activation-intro = Type the login and the activation code printed on the letter the school gave you.
activation-identifiant-aide = Printed on the letter, for example firstname.lastname
activation-code = Activation code
activation-code-aide = 12 letters and digits, for example ABCD-EFGH-JKMN. Dashes and spaces do not matter; there is no 0 or O, no 1 or I.
activation-bouton = Continue
activation-deja-active = Account already activated? Sign in
activation-erreur-champs = Type your login and the code from the letter.
activation-erreur-code = Wrong login or code. Copy them again from the school's letter and retry.
activation-erreur-expire = This code has expired. Ask the school office for a new letter.
activation-reprendre = The activation took too long or the code changed: start again with the code from the letter.
activation-bonjour = Hello { $prenom },
activation-mdp-titre = Choose my password
activation-mdp-bouton = Continue
charte-titre = Terms of use
charte-accepte = I have read the charter and will abide by it.
charte-bouton = Accept and continue
charte-erreur-cocher = Tick the box to accept the charter.
charte-erreur-versions = The form is incomplete. Reload the page.
charte-changee = The school has just changed the charter. Read the new version below.
charte-erreur-vide = The charter cannot be empty.
charte-erreur-longue = The charter is too long (20,000 characters at most).
charte-admin-titre = Terms of use (charter)
charte-admin-titre-court = Charter
charte-admin-intro = Everyone accepts this charter when activating their account. If you change it, everyone will accept the new version at their next visit.
charte-admin-defaut = Cartable's default charter (never changed).
charte-admin-version = Version { $version }
charte-admin-modifiee-le = changed on { $date }
charte-admin-texte = Text of the charter
charte-admin-texte-aide = Plain text; a blank line separates two paragraphs.
charte-admin-bouton = Save a new version
charte-admin-enregistree = The new version of the charter is saved.
oubli-titre = Forgotten password
oubli-intro = Type your login. If your account has a verified e-mail address, you will receive a link to choose a new password.
oubli-eleves = Pupils: ask your form tutor, the CPE or the school office for a new code.
oubli-bouton = Send me a link
oubli-envoye = If an account with a verified address matches this login, an e-mail has just been sent to it. The link works once and for a short time. Nothing received? Check your spam folder, or contact the school.
oubli-retour-connexion = Back to sign-in
oubli-erreur-identifiant = Type your login.
oubli-lien-perime = This link no longer works: it was already used or it expired. Ask for a new one below.
oubli-nouveau-titre = Choose a new password
oubli-nouveau-intro = Account: { $identifiant }. Your other sessions will end.
oubli-nouveau-bouton = Save the password
connexion-activer = First time? Activate your account with the code from the letter
connexion-oubli-lien = Forgotten password?
connexion-mdp-change = Your password has been changed. Sign in with the new one.
courriers-titre = Activation letters
courriers-titre-court = Activation letters
courriers-intro = Each letter gives the login and a single-use activation code, with the address { $adresse }. Only accounts not yet activated get a letter. Printing a letter makes a new code: the code of an earlier letter stops working.
courriers-validite = { $jours ->
    [one] Codes are valid for { $jours } day.
   *[other] Codes are valid for { $jours } days.
}
courriers-total = { $nombre ->
    [0] No account is waiting for a letter.
    [one] { $nombre } account is waiting for its letter.
   *[other] { $nombre } accounts are waiting for their letter.
}
courriers-groupe = Class
courriers-eleves = Pupils
courriers-parents = Parents
courriers-personnels-nombre = Staff
courriers-imprimer = Print
courriers-pdf = Letters (PDF)
courriers-imprimer-classe = Print the letters: { $groupe }
courriers-classe = Class { $classe }
courriers-personnels = Staff and teachers
courriers-tout = Print all the school's letters (PDF)
courriers-tout-aide = One PDF, one page per person: staff first, then class by class, each pupil followed by their parents. Accounts that also belong to an establishment you do not administer are left out: the platform administrator prints theirs.
courriers-personne = Print their activation letter (PDF)
courriers-personne-aide = The account is not activated yet. The new letter replaces the previous one.
courriers-erreur-aucun = No account to activate here: there is no letter to print.
courriers-erreur-deja-active = This account is already activated. For a lost password, give a new password.
import-titre = Import a file
import-titre-court = Import a file (pupils, parents, teachers)
import-intro = Import a spreadsheet saved as CSV (semicolon or comma separated, UTF-8 or Windows-1252). Nothing is saved before you confirm: you will first see what the import would create, change or leave alone, and every line in error.
import-format-eleves = Pupils: Nom; Prénom; Date de naissance (DD/MM/YYYY); Classe; Identifiant national (INE, optional)
import-format-parents = Parents: one line per link between a parent and a pupil (the pupil's names and birth date, relation, parental authority, e-mail…)
import-format-enseignants = Teachers: Nom; Prénom; Courriel; Disciplines; Classes
import-format-aide = Import the pupils before their parents. The same file imported twice changes nothing the second time.
import-fichier = CSV file
import-fichier-aide = 5 MB at most.
import-type = Contents of the file
import-type-auto = Recognise from the first line
import-type-eleves = Pupils
import-type-parents = Parents
import-type-enseignants = Teachers
import-apercu-bouton = See what the import would do
import-apercu-titre = Import preview
import-apercu-intro = The file is valid. Nothing is saved yet: check, then confirm.
import-fait-titre = Import done
import-fait = The import is saved. The new accounts are waiting for their activation letter.
import-refuse = The file is refused: nothing was saved. Correct the lines below in the spreadsheet, then import it again.
import-erreurs = Lines in error
import-bilan = Summary
import-rien = This file changes nothing: everything is already up to date.
import-details = Details
import-lignes-omises = … and { $nombre } more lines.
import-avertissements = Warnings
import-erreurs-omises = { $nombre ->
    [one] … and one more line in error, not shown. Fix the lines above, then import the file again.
   *[other] … and { $nombre } more lines in error, not shown. Fix the lines above, then import the file again.
}
import-avertissements-omis = { $nombre ->
    [one] … and one more warning, not shown.
   *[other] … and { $nombre } more warnings, not shown.
}
import-confirmer = Confirm the import
import-confirmer-aide = The import is done in one go: the whole file, or nothing.
import-annuler = Cancel and choose another file
import-vers-courriers = Print the activation letters
import-bilan-eleves = Pupils: { $crees } created, { $modifies } changed, { $inchanges } unchanged
import-bilan-parents = Parents: { $crees } created, { $modifies } changed, { $inchanges } unchanged
import-bilan-enseignants = Teachers: { $crees } created, { $modifies } changed, { $inchanges } unchanged
import-bilan-liens = { $nombre ->
    [one] { $nombre } parent–pupil link created
   *[other] { $nombre } parent–pupil links created
}
import-bilan-matieres = { $nombre ->
    [one] { $nombre } subject created
   *[other] { $nombre } subjects created
}
import-bilan-enseignements = { $nombre ->
    [one] { $nombre } teaching created
   *[other] { $nombre } teachings created
}
import-erreur-vide = Choose a file to import.
import-erreur-taille = The file is over 5 MB. Split it or check that it is a CSV file.
import-erreur-type = The contents could not be recognised from the first line. Choose "Pupils", "Parents" or "Teachers".
import-erreur-type-inconnu = Choose contents from the list.
import-erreur-envoi = The file did not arrive whole. Try again.
import-erreur-perime = The preview expired or was already confirmed. Import the file again.
# Issue 14 §8 (roles): one register per audience ($registre: tu or vous; English has one).
activation-etape-2-selon = { $registre ->
    [tu] Step 2 of { $total }: your password
   *[vous] Step 2 of { $total }: your password
}
activation-mdp-intro-selon = { $registre ->
    [tu] Choose your own password. You will use it each time you sign in; the code of the letter will no longer work.
   *[vous] Choose your own password. You will use it each time you sign in; the code of the letter will no longer work.
}
charte-intro-selon = { $registre ->
    [tu] Read your school's charter. You must accept it to use the digital workspace.
   *[vous] Read your school's charter. You must accept it to use the digital workspace.
}
