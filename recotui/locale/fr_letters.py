"""French for the case screen's letter keys (recotui/screens/letter.py): the letter preview
and the litigation file."""

CATALOG = {
    # keys (footer, help, command palette)
    "Letter": "Courrier",
    "Litigation file": "Dossier contentieux",
    # the letter form
    "{name} · letter for the stage {stage}": "{name} · courrier de l'étape {stage}",
    "{step} {channel} · {no}": "{step} {channel} · n° {no}",
    "Send": "Envoyer",
    "Tracking no.": "N° de suivi",
    "registered post number, if known": "numéro du recommandé, s'il est connu",
    "Enter sends · ↑↓ PgUp/PgDn scroll · Esc cancels":
        "Entrée envoie · ↑↓ PgPréc/PgSuiv défilent · Échap annule",
    "The letter is still being prepared.": "Le courrier est en cours de préparation.",
    "No preview: {error}": "Pas d'aperçu : {error}",
    "Not done: {error}": "Non effectué : {error}",
    "Letter {no} sent {channel}: {file}": "Courrier {no} envoyé {channel} : {file}",
    "Letter {no} was already recorded today; written again: {file}":
        "Courrier {no} déjà enregistré aujourd'hui ; réécrit : {file}",
    # what the letters code refuses (recotui/letters/oneoff.py, dossier.py)
    "This case does not exist.": "Ce dossier n'existe pas.",
    "This case has nothing open: no letter to write.":
        "Ce dossier n'a rien d'ouvert : aucun courrier à écrire.",
    "This case has nothing open: there is nothing to claim.":
        "Ce dossier n'a rien d'ouvert : il n'y a rien à réclamer.",
    # the litigation file form
    "Write the litigation file for an injunction to pay or a bailiff?":
        "Constituer le dossier contentieux pour une injonction de payer ou un huissier ?",
    "Summary, statement of account, letters sent, contact timeline and promises. The case "
    "moves to contentieux.":
        "Synthèse, relevé de compte, courriers envoyés, historique des contacts et promesses. "
        "Le dossier passe au contentieux.",
    "Enter writes the file · Esc cancels": "Entrée constitue le dossier · Échap annule",
    "Written to {folder}": "Écrit dans {folder}",
    "… and {count} more": "… et {count} de plus",
    "The case moved to contentieux.": "Le dossier est passé au contentieux.",
    "The case was at contentieux already.": "Le dossier était déjà au contentieux.",
}
