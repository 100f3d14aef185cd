"""French for the queue, help, pickers and the app's own messages."""

CATALOG = {
    # queue
    "Queue": "File",
    "{n} cases": "{n} dossiers",
    "overdue {amount}": "échu {amount}",
    "mine": "mes dossiers",
    "blocked hidden": "bloqués masqués",
    "Next": "Suivant",
    "Filter": "Filtrer",
    "Campaign": "Campagne",
    "Blocked": "Bloqués",
    "Help": "Aide",
    "Refresh": "Actualiser",
    "Quit": "Quitter",
    "Clear filter": "Effacer le filtre",
    "Filter: name, debtor number, phone or invoice number":
        "Filtre : nom, n° de compte, téléphone ou n° de facture",
    "No open case matches “{text}”. Esc clears the filter.":
        "Aucun dossier ouvert ne correspond à « {text} ». Échap efface le filtre.",
    "No case can be called now. Press h to show blocked cases.":
        "Aucun dossier n'est appelable maintenant. h affiche les dossiers bloqués.",
    "No open cases. Build a demo book with `recotui demo`, "
    "or load a file with `recotui import FILE`.":
        "Aucun dossier ouvert. Créez un portefeuille de démo avec `recotui demo`, "
        "ou chargez un fichier avec `recotui import FICHIER`.",
    "Blocked cases hidden.": "Dossiers bloqués masqués.",
    "Blocked cases shown.": "Dossiers bloqués affichés.",
    "today": "auj.",
    "{n}d": "{n} j",
    "column|Debtor": "Débiteur",
    "column|Overdue": "Échu",
    "column|DPD": "Ret.",
    "column|Stage": "Étape",
    "column|Next": "Proch",
    "column|Last": "Dern.",
    "column|Flags": "Sig.",
    "P promise due today · B broken promise · D dispute · C callback due · "
    "X blocked by the contact policy":
        "P promesse du jour · B promesse non tenue · D litige · C rappel dû · "
        "X bloqué par la politique de contact",
    # help
    "Close": "Fermer",
    "Move": "Se déplacer",
    "Open": "Ouvrir",
    "[b]Keys[/b]": "[b]Touches[/b]",
    "[b]#{rank} {name}[/b] — score {score}": "[b]n° {rank} {name}[/b] — score {score}",
    "Loading…": "Chargement…",
    "Call allowed now.": "Appel autorisé maintenant.",
    "ctrl+p: every action by name · Esc closes":
        "ctrl+p : toutes les actions par leur nom · Échap ferme",
    "factor": "facteur",
    "weight": "poids",
    "points": "points",
    "total": "total",
    "Overdue amount": "Montant échu",
    "Oldest days past due": "Retard le plus ancien (jours)",
    "Promise due today": "Promesse due aujourd'hui",
    "Broken promise": "Promesse non tenue",
    "Callback due": "Rappel dû",
    "Time since last contact": "Temps depuis le dernier contact",
    "Stage on the ladder": "Étape de relance",
    "Disputed share (holds back)": "Part en litige (freine)",
    # pickers and the app
    "Cancel": "Annuler",
    "Enter chooses · Esc cancels": "Entrée choisit · Échap annule",
    "Whole book": "Tout le portefeuille",
    "My cases": "Mes dossiers",
    "Show the queue of": "Afficher la file de",
    "No user “{name}” in this store: showing the whole book.":
        "Aucun utilisateur « {name} » dans ce fichier : tout le portefeuille est affiché.",
    "No case can be called now ({n} looked at). Back to the queue.":
        "Aucun dossier appelable maintenant ({n} examinés). Retour à la file.",
    # sync
    "online": "en ligne",
    "offline": "hors ligne",
    "{n} to send": "{n} à envoyer",
    "sync {time}": "synchro {time}",
    "The server: {reason}": "Le serveur : {reason}",
}
