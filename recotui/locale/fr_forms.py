"""French for the case's action forms (recotui/screens/forms) and their fields.

The codes' labels (call outcomes, reasons, categories, stages...) and the form titles the
case screen shares (Note, Dispute, Callback, Escalate, Dial) are in fr_case.py.
"""

CATALOG = {
    # titles, keys
    "Call outcome": "Résultat d'appel",
    "Instalment plan": "Échéancier",
    "Payment received": "Paiement reçu",
    "Close the case": "Clôturer le dossier",
    "Save": "Enregistrer",
    "Yes": "Oui",
    "No": "Non",
    "Enter saves · Tab next field · Esc cancels":
        "Entrée enregistre · Tab champ suivant · Échap annule",
    "1–0 or ↑↓ choose · Enter saves · Tab next field · Esc cancels":
        "1–0 ou ↑↓ choisit · Entrée enregistre · Tab champ suivant · Échap annule",
    "1–0 or ↑↓ choose the reason · Tab the note · Enter saves · Esc cancels":
        "1–0 ou ↑↓ choisit le motif · Tab la note · Entrée enregistre · Échap annule",
    "Enter saves · Tab next field · Space ticks an invoice · Esc cancels":
        "Entrée enregistre · Tab suivant · Espace coche une facture · Échap annule",
    "Space ticks · Enter saves · Tab next field · Esc cancels":
        "Espace coche · Entrée enregistre · Tab champ suivant · Échap annule",
    "1–4 or ↑↓ choose · Enter closes the case · Esc cancels":
        "1–4 ou ↑↓ choisit · Entrée clôture le dossier · Échap annule",
    "Enter or y escalates · Esc or n cancels": "Entrée ou y escalade · Échap ou n annule",
    "1–9 or ↑↓ choose · Enter dials · Esc cancels":
        "1–9 ou ↑↓ choisit · Entrée appelle · Échap annule",
    # field labels (also the field named in an error)
    "Phone": "Téléphone",
    "Amount": "Montant",
    "Date": "Date",
    "Time": "Heure",
    "Instalments": "Échéances",
    "Frequency": "Fréquence",
    "First date": "1re échéance",
    "Down payment": "Acompte",
    "Received on": "Reçu le",
    "Method": "Mode",
    "Reference": "Référence",
    "Action": "Action",
    "Category": "Catégorie",
    "What is wrong": "Motif",
    "Resolution": "Issue",
    "Comment": "Commentaire",
    # field errors: "{field}: {text} {reason}"
    "{field}: {text} {reason}": "{field} : {text} {reason}",
    "{field}: required": "{field} : obligatoire",
    "is not a number": "n'est pas un nombre",
    "must not be negative": "ne doit pas être négatif",
    "must be more than zero": "doit être supérieur à zéro",
    "has more than 0 decimals": "ne doit pas avoir de décimales",
    "has more than 2 decimals": "a plus de 2 décimales",
    "has more than 3 decimals": "a plus de 3 décimales",
    "must be whole": "doit être un nombre entier",
    "is ambiguous: a thousands separator or decimals? Write 1000 or 1 000,00":
        "est ambigu : séparateur de milliers ou décimales ? Écrivez 1000 ou 1 000,00",
    "is not a date": "n'est pas une date",
    "is not a date (dd/mm/yyyy, yyyy-mm-dd or +days)":
        "n'est pas une date (jj/mm/aaaa, aaaa-mm-jj ou +jours)",
    "is too far away": "est trop loin",
    "is not a time (HH:MM)": "n'est pas une heure (HH:MM)",
    "is not a time": "n'est pas une heure",
    "Not saved: {error}": "Non enregistré : {error}",
    # call
    "do not call": "ne pas appeler",
    "{debtor} · call in progress on {number}": "{debtor} · appel en cours au {number}",
    "No phone on file": "Aucun téléphone",
    "optional": "facultatif",
    # note
    "what the debtor said": "ce que dit le débiteur",
    "Note: write what was said, or choose a reason other than “Other”.":
        "Note : écrivez ce qui a été dit, ou choisissez un autre motif que « Autre ».",
    # promise
    "{debtor} · balance {balance} · overdue {overdue}":
        "{debtor} · solde {balance} · échu {overdue}",
    "at most {balance}": "au plus {balance}",
    "Any day from today to {last}. Dates: dd/mm/yyyy, +7 for a week.":
        "Du jour au {last}. Dates : jj/mm/aaaa, +7 pour une semaine.",
    "Replaces the pending promise of {amount} due {date}.":
        "Remplace la promesse en cours de {amount} pour le {date}.",
    "Amount: {amount} is more than the balance of {balance}":
        "Montant : {amount} dépasse le solde de {balance}",
    "Date: {date} is in the past": "Date : le {date} est passé",
    "Date: {date} is more than {days} days away": "Date : le {date} est à plus de {days} jours",
    # plan
    "{debtor} · plan total {balance}": "{debtor} · total de l'échéancier {balance}",
    "replaces the active plan": "remplace l'échéancier en cours",
    "1 to {max}": "de 1 à {max}",
    "optional, due on the first date": "facultatif, dû à la 1re échéance",
    "Instalments: required": "Échéances : obligatoire",
    "Instalments: {text} is not a whole number": "Échéances : {text} n'est pas un nombre entier",
    "First date: {date} is in the past": "1re échéance : le {date} est passé",
    "down payment": "acompte",
    "… {n} more": "… {n} de plus",
    "The plan total must be more than zero.": "Le total doit être supérieur à zéro.",
    "A plan has between 1 and 120 instalments.": "Un échéancier compte de 1 à 120 échéances.",
    "The down payment must not be negative.": "L'acompte ne doit pas être négatif.",
    "The down payment must be less than the plan total.":
        "L'acompte doit être inférieur au total.",
    "Too many instalments for the amount: some would be zero.":
        "Trop d'échéances pour le montant : certaines seraient nulles.",
    "The plan would run past the year 9999.": "L'échéancier dépasserait l'an 9999.",
    # payment
    "{debtor} · open {balance}": "{debtor} · reste dû {balance}",
    "the promised amount": "le montant promis",
    "optional: cheque or transfer reference": "facultatif : n° de chèque ou de virement",
    "Invoices paid (Space ticks; none ticked: oldest first)":
        "Factures réglées (Espace coche ; sinon la plus ancienne d'abord)",
    "due {date}": "éch. {date}",
    "in dispute": "en litige",
    "the ticked invoices": "les factures cochées",
    "the case": "le dossier",
    "Amount: {amount} is more than the {open} open on {what}":
        "Montant : {amount} dépasse les {open} dus sur {what}",
    "Received on: {date} is in the future": "Reçu le : le {date} est à venir",
    # dispute
    "{n} invoice(s) in dispute ({amount})": "{n} facture(s) en litige ({amount})",
    "Open a dispute": "Ouvrir un litige",
    "Resolve a dispute": "Lever un litige",
    "Invoices in dispute (Space ticks)": "Factures en litige (Espace coche)",
    "Invoices back to collection (Space ticks)":
        "Factures qui reviennent en recouvrement (Espace coche)",
    "Choose…": "Choisir…",
    "as the debtor puts it": "selon le débiteur",
    "No open invoice is left to dispute.": "Aucune facture ouverte à contester.",
    "Tick at least one invoice in dispute.": "Cochez au moins une facture en litige.",
    "Tick at least one invoice to put back in collection.":
        "Cochez au moins une facture à remettre en recouvrement.",
    "Category: choose one": "Catégorie : à choisir",
    "What is wrong: required, for the sales team":
        "Motif : obligatoire, pour le service commercial",
    # callback
    "{debtor} · their time {time} {day} ({zone})": "{debtor} · chez lui {time} {day} ({zone})",
    "their time ({zone})": "heure du débiteur ({zone})",
    "= {time} {day} your time": "= {time} {day} chez vous",
    "outside calling hours": "hors des heures d'appel",
    "Time: {time} does not exist on {date} in {zone} (clock change)":
        "Heure : {time} n'existe pas le {date} à {zone} (changement d'heure)",
    "Time: {date} {time} in {zone} is in the past": "Heure : le {date} {time} ({zone}) est passé",
    # escalate
    "Move the case from {old} to {new}?": "Passer le dossier de {old} à {new} ?",
    "A second, firmer reminder follows.": "Une seconde relance, plus ferme, suit.",
    "A formal notice (mise en demeure) goes by registered letter.":
        "Une mise en demeure part en recommandé.",
    "The case goes to litigation: injunction to pay, bailiff.":
        "Le dossier passe au contentieux : injonction de payer, huissier.",
    "This case is already at {stage}, the last stage: it cannot be escalated further.":
        "Ce dossier est déjà en {stage}, la dernière étape : il ne peut pas aller plus loin.",
    "Refused: {stage} is the last stage.": "Refusé : {stage} est la dernière étape.",
    # close
    "{debtor} · balance {balance}": "{debtor} · solde {balance}",
    "A closed case leaves the queue; nothing more can be recorded on it.":
        "Un dossier clôturé quitte la file ; plus rien ne peut y être saisi.",
    "Paid: {balance} is still open; choose another reason.":
        "Payé : il reste {balance} dû ; choisissez un autre motif.",
    # dial
    "No phone number on file.": "Aucun numéro de téléphone.",
    "Dialler: {command}": "Numéroteur : {command}",
    "No dial command is set (dial_command): dial the number by hand; "
    "the attempt is still logged.":
        "Aucune commande de numérotation (dial_command) : composez le numéro à la main ; "
        "la tentative est enregistrée.",
    "Calling is not allowed now.": "Appel interdit maintenant.",
    "Calling is not allowed now: {reason}": "Appel interdit maintenant : {reason}",
    "No number that may be called.": "Aucun numéro appelable.",
    "Dialling {number}…": "Appel du {number}…",
    "Dial {number} by hand: no dial command is set.":
        "Composez le {number} à la main : aucune commande de numérotation.",
    # refusals from the store (recotui/store/actions.py)
    "This case does not exist.": "Ce dossier n'existe pas.",
    "Unknown {what} {value!r}.": "Code inconnu : {value!r}.",
    "Write a note, or choose a reason other than 'Other'.":
        "Écrivez une note, ou choisissez un autre motif que « Autre ».",
    "The promised date is in the past.": "La date promise est passée.",
    "The promised date is more than {days} days away.":
        "La date promise est à plus de {days} jours.",
    "The promised amount must be more than zero.":
        "Le montant promis doit être supérieur à zéro.",
    "The promised amount is more than the balance.": "Le montant promis dépasse le solde.",
    "The first instalment date is in the past.": "La première échéance est passée.",
    "The payment date is in the future.": "La date du paiement est à venir.",
    "The payment amount must be more than zero.":
        "Le montant du paiement doit être supérieur à zéro.",
    "The payment is more than the open amount of its invoices.":
        "Le paiement dépasse le reste dû de ses factures.",
    "A chosen invoice is not open on this case.":
        "Une facture choisie n'est pas ouverte sur ce dossier.",
    "Choose at least one invoice in dispute.": "Choisissez au moins une facture en litige.",
    "Choose at least one disputed invoice.": "Choisissez au moins une facture en litige.",
    "A chosen invoice is not in dispute on this case.":
        "Une facture choisie n'est pas en litige sur ce dossier.",
    "The callback time is in the past.": "L'heure de rappel est passée.",
    "The case is already at contentieux, the last stage.":
        "Le dossier est déjà au contentieux, la dernière étape.",
    "The case still has an open balance; it is not paid.":
        "Le dossier a encore un solde dû : il n'est pas payé.",
    "Unknown close reason {reason!r}.": "Motif de clôture inconnu : {reason!r}.",
    "Choose a number to dial.": "Choisissez un numéro à appeler.",
    "Do not call: this debtor is marked do-not-call.":
        "Ne pas appeler : ce débiteur refuse les appels.",
    "Do not call: this number is marked do-not-call.":
        "Ne pas appeler : ce numéro est sur liste d'opposition.",
    "The dial command could not start: {error}":
        "La commande de numérotation n'a pas démarré : {error}",
}
