"""Word lists for the demo book: French (and a few British) names, trades, streets and towns.

Plain data, no logic beyond a slug helper; demo.py turns these into weighted lookup tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

SURNAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
    "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc",
    "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
    "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps",
    "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam",
    "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez",
    "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel",
    "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff",
    "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber",
    "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard",
    "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin",
    "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud",
    "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert",
    "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
)

FIRST_NAMES_F: tuple[str, ...] = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique",
    "Valérie", "Sandrine", "Sophie", "Céline", "Julie", "Aurélie", "Camille", "Claire", "Émilie",
    "Laura", "Manon", "Chloé", "Léa", "Inès", "Sarah", "Anne", "Hélène", "Élodie", "Virginie",
    "Stéphanie", "Patricia", "Brigitte", "Martine", "Caroline", "Delphine", "Laurence", "Agnès",
    "Pauline", "Mathilde", "Juliette", "Lucie", "Océane", "Amandine", "Karine", "Nadia",
    "Fatima", "Yasmina",
)

FIRST_NAMES_M: tuple[str, ...] = (
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick",
    "Laurent", "Frédéric", "Stéphane", "David", "Julien", "Sébastien", "Thomas", "Olivier",
    "Éric", "Pascal", "Thierry", "Vincent", "Antoine", "Maxime", "Alexandre", "Guillaume",
    "Romain", "Hugo", "Lucas", "Louis", "Mathieu", "Jérôme", "François", "Bruno", "Didier",
    "Franck", "Karim", "Mehdi", "Mohamed", "Yannick", "Cédric", "Arnaud", "Benoît", "Damien",
    "Fabien", "Grégory", "Ludovic",
)

# Trade words that open a small firm's name: "Boulangerie Dupont SARL".
TRADES: tuple[str, ...] = (
    "Boulangerie", "Pâtisserie", "Boucherie", "Transports", "Garage", "Menuiserie",
    "Plomberie", "Électricité", "Maçonnerie", "Couverture", "Peinture", "Carrosserie",
    "Imprimerie", "Pharmacie", "Cabinet", "Hôtel", "Restaurant", "Brasserie", "Fromagerie",
    "Cave", "Librairie", "Fleurs", "Optique", "Coiffure", "Auto-école", "Ambulances", "Taxis",
    "Déménagements", "Nettoyage", "Sécurité", "Informatique", "Conseil", "Architecture",
    "Immobilière", "Laboratoires", "Ateliers", "Établissements", "Distribution", "Logistique",
    "Terrassement", "Paysages", "Chauffage", "Froid", "Métallerie", "Charpente", "Vins",
    "Domaine", "Scierie", "Quincaillerie", "Pressing", "Traiteur", "Primeurs", "Agence",
)

# Legal forms with rough shares among French debtor firms.
LEGAL_FORMS: tuple[tuple[str, int], ...] = (
    ("SARL", 34), ("SAS", 30), ("SASU", 12), ("EURL", 10), ("SA", 6), ("SNC", 3), ("SCI", 3),
    ("SELARL", 2),
)

STREETS: tuple[str, ...] = (
    "rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue de la Gare",
    "place de la Mairie", "boulevard Gambetta", "rue Pasteur", "rue du Général de Gaulle",
    "avenue de la Libération", "rue des Écoles", "chemin des Vignes", "rue du Moulin",
    "impasse des Lilas", "allée des Tilleuls", "rue Jules Ferry", "rue Nationale",
    "rue de l'Église", "rue du Stade", "avenue Foch", "rue Carnot", "rue de Paris",
    "route de Lyon", "rue des Jardins", "rue du Château", "rue Émile Zola", "rue Voltaire",
    "rue Jean Moulin", "boulevard de la Liberté", "rue Saint-Martin", "rue du Commerce",
    "avenue du Maréchal Leclerc", "rue des Artisans", "rue de l'Industrie", "rue du Port",
    "quai des Chartrons", "rue Lafayette", "avenue de Verdun", "rue Pierre Curie",
    "rue des Acacias", "zone artisanale des Pins", "rue du 8 Mai 1945", "cours Mirabeau",
)

# (city, postcodes, weight ~ population in thousands, phone region digit, time zone)
TOWNS: tuple[tuple[str, tuple[str, ...], int, str, str], ...] = (
    ("Paris", tuple(f"750{n:02d}" for n in range(1, 21)), 2100, "1", "Europe/Paris"),
    ("Marseille", tuple(f"130{n:02d}" for n in range(1, 17)), 870, "4", "Europe/Paris"),
    ("Lyon", tuple(f"6900{n}" for n in range(1, 10)), 520, "4", "Europe/Paris"),
    ("Toulouse", ("31000", "31100", "31200", "31300", "31400", "31500"), 500, "5",
     "Europe/Paris"),
    ("Nice", ("06000", "06100", "06200", "06300"), 340, "4", "Europe/Paris"),
    ("Nantes", ("44000", "44100", "44200", "44300"), 320, "2", "Europe/Paris"),
    ("Montpellier", ("34000", "34070", "34080", "34090"), 300, "4", "Europe/Paris"),
    ("Strasbourg", ("67000", "67100", "67200"), 290, "3", "Europe/Paris"),
    ("Bordeaux", ("33000", "33100", "33200", "33300", "33800"), 260, "5", "Europe/Paris"),
    ("Lille", ("59000", "59160", "59260", "59800"), 235, "3", "Europe/Paris"),
    ("Rennes", ("35000", "35200", "35700"), 225, "2", "Europe/Paris"),
    ("Reims", ("51100",), 180, "3", "Europe/Paris"),
    ("Toulon", ("83000", "83100", "83200"), 180, "4", "Europe/Paris"),
    ("Saint-Étienne", ("42000", "42100"), 173, "4", "Europe/Paris"),
    ("Le Havre", ("76600", "76610", "76620"), 166, "2", "Europe/Paris"),
    ("Grenoble", ("38000", "38100"), 158, "4", "Europe/Paris"),
    ("Dijon", ("21000",), 159, "3", "Europe/Paris"),
    ("Angers", ("49000", "49100"), 157, "2", "Europe/Paris"),
    ("Nîmes", ("30000", "30900"), 149, "4", "Europe/Paris"),
    ("Villeurbanne", ("69100",), 152, "4", "Europe/Paris"),
    ("Clermont-Ferrand", ("63000", "63100"), 147, "4", "Europe/Paris"),
    ("Le Mans", ("72000", "72100"), 145, "2", "Europe/Paris"),
    ("Aix-en-Provence", ("13080", "13090", "13100", "13290", "13540"), 145, "4",
     "Europe/Paris"),
    ("Brest", ("29200",), 140, "2", "Europe/Paris"),
    ("Tours", ("37000", "37100", "37200"), 136, "2", "Europe/Paris"),
    ("Amiens", ("80000", "80080", "80090"), 133, "3", "Europe/Paris"),
    ("Limoges", ("87000", "87100", "87280"), 130, "5", "Europe/Paris"),
    ("Annecy", ("74000",), 130, "4", "Europe/Paris"),
    ("Perpignan", ("66000", "66100"), 120, "4", "Europe/Paris"),
    ("Boulogne-Billancourt", ("92100",), 121, "1", "Europe/Paris"),
    ("Metz", ("57000", "57050", "57070"), 118, "3", "Europe/Paris"),
    ("Besançon", ("25000",), 117, "3", "Europe/Paris"),
    ("Orléans", ("45000", "45100"), 116, "2", "Europe/Paris"),
    ("Saint-Denis", ("93200",), 113, "1", "Europe/Paris"),
    ("Argenteuil", ("95100",), 110, "1", "Europe/Paris"),
    ("Rouen", ("76000", "76100"), 112, "2", "Europe/Paris"),
    ("Mulhouse", ("68100", "68200"), 108, "3", "Europe/Paris"),
    ("Montreuil", ("93100",), 111, "1", "Europe/Paris"),
    ("Caen", ("14000",), 106, "2", "Europe/Paris"),
    ("Nancy", ("54000", "54100"), 104, "3", "Europe/Paris"),
    ("Roubaix", ("59100",), 98, "3", "Europe/Paris"),
    ("Tourcoing", ("59200",), 98, "3", "Europe/Paris"),
    ("Nanterre", ("92000",), 96, "1", "Europe/Paris"),
    ("Vitry-sur-Seine", ("94400",), 95, "1", "Europe/Paris"),
    ("Avignon", ("84000",), 91, "4", "Europe/Paris"),
    ("Créteil", ("94000",), 92, "1", "Europe/Paris"),
    ("Poitiers", ("86000",), 89, "5", "Europe/Paris"),
    ("Versailles", ("78000",), 85, "1", "Europe/Paris"),
    ("Pau", ("64000",), 75, "5", "Europe/Paris"),
    ("Courbevoie", ("92400",), 82, "1", "Europe/Paris"),
    ("La Rochelle", ("17000",), 77, "5", "Europe/Paris"),
    ("Antibes", ("06600",), 74, "4", "Europe/Paris"),
    ("Cannes", ("06150", "06400"), 74, "4", "Europe/Paris"),
    ("Calais", ("62100",), 67, "3", "Europe/Paris"),
    ("Béziers", ("34500",), 79, "4", "Europe/Paris"),
    ("Colmar", ("68000",), 67, "3", "Europe/Paris"),
    ("Bourges", ("18000",), 64, "2", "Europe/Paris"),
    ("Mérignac", ("33700",), 72, "5", "Europe/Paris"),
    ("Ajaccio", ("20000", "20090"), 73, "4", "Europe/Paris"),
    ("Bastia", ("20200", "20600"), 48, "4", "Europe/Paris"),
    ("Quimper", ("29000",), 63, "2", "Europe/Paris"),
    ("Valence", ("26000",), 64, "4", "Europe/Paris"),
    ("Troyes", ("10000",), 61, "3", "Europe/Paris"),
    ("Chambéry", ("73000",), 60, "4", "Europe/Paris"),
    ("Lorient", ("56100",), 57, "2", "Europe/Paris"),
    ("Niort", ("79000",), 59, "5", "Europe/Paris"),
    ("Montauban", ("82000",), 61, "5", "Europe/Paris"),
    ("Saint-Nazaire", ("44600",), 71, "2", "Europe/Paris"),
    ("Beauvais", ("60000",), 56, "3", "Europe/Paris"),
    ("Cholet", ("49300",), 54, "2", "Europe/Paris"),
    ("Meaux", ("77100",), 55, "1", "Europe/Paris"),
    ("Vannes", ("56000",), 54, "2", "Europe/Paris"),
    ("La Roche-sur-Yon", ("85000",), 55, "2", "Europe/Paris"),
    ("Arles", ("13200",), 51, "4", "Europe/Paris"),
    ("Narbonne", ("11100",), 55, "4", "Europe/Paris"),
    ("Laval", ("53000",), 49, "2", "Europe/Paris"),
    ("Belfort", ("90000",), 46, "3", "Europe/Paris"),
    ("Bayonne", ("64100",), 52, "5", "Europe/Paris"),
    ("Évreux", ("27000",), 47, "2", "Europe/Paris"),
    ("Albi", ("81000",), 49, "5", "Europe/Paris"),
    ("Charleville-Mézières", ("08000",), 46, "3", "Europe/Paris"),
    ("Martigues", ("13500",), 49, "4", "Europe/Paris"),
    ("Châteauroux", ("36000",), 43, "2", "Europe/Paris"),
    ("Saint-Malo", ("35400",), 47, "2", "Europe/Paris"),
    ("Blois", ("41000",), 46, "2", "Europe/Paris"),
    ("Brive-la-Gaillarde", ("19100",), 46, "5", "Europe/Paris"),
    ("Carcassonne", ("11000",), 46, "4", "Europe/Paris"),
    ("Chartres", ("28000",), 39, "2", "Europe/Paris"),
    ("Angoulême", ("16000",), 42, "5", "Europe/Paris"),
    ("Tarbes", ("65000",), 42, "5", "Europe/Paris"),
    ("Agen", ("47000",), 32, "5", "Europe/Paris"),
    ("Périgueux", ("24000",), 30, "5", "Europe/Paris"),
    ("Mâcon", ("71000",), 34, "3", "Europe/Paris"),
    ("Auxerre", ("89000",), 35, "3", "Europe/Paris"),
    ("Nevers", ("58000",), 33, "3", "Europe/Paris"),
    ("Saint-Brieuc", ("22000",), 44, "2", "Europe/Paris"),
    ("Alençon", ("61000",), 26, "2", "Europe/Paris"),
    ("Cherbourg-en-Cotentin", ("50100",), 79, "2", "Europe/Paris"),
    ("Aurillac", ("15000",), 26, "4", "Europe/Paris"),
    ("Rodez", ("12000",), 25, "5", "Europe/Paris"),
    ("Mont-de-Marsan", ("40000",), 30, "5", "Europe/Paris"),
    ("Gap", ("05000",), 41, "4", "Europe/Paris"),
    ("Bourg-en-Bresse", ("01000",), 42, "4", "Europe/Paris"),
    ("Roanne", ("42300",), 34, "4", "Europe/Paris"),
    ("Vichy", ("03200",), 25, "4", "Europe/Paris"),
    ("Épinal", ("88000",), 32, "3", "Europe/Paris"),
    ("Thionville", ("57100",), 41, "3", "Europe/Paris"),
    ("Arras", ("62000",), 41, "3", "Europe/Paris"),
    ("Valenciennes", ("59300",), 43, "3", "Europe/Paris"),
    ("Dunkerque", ("59140", "59240", "59640"), 87, "3", "Europe/Paris"),
    ("Compiègne", ("60200",), 41, "3", "Europe/Paris"),
    ("Châlons-en-Champagne", ("51000",), 44, "3", "Europe/Paris"),
    ("Vesoul", ("70000",), 15, "3", "Europe/Paris"),
    ("Sète", ("34200",), 44, "4", "Europe/Paris"),
    ("Alès", ("30100",), 42, "4", "Europe/Paris"),
    ("Castres", ("81100",), 41, "5", "Europe/Paris"),
    ("Montélimar", ("26200",), 40, "4", "Europe/Paris"),
    ("Thonon-les-Bains", ("74200",), 36, "4", "Europe/Paris"),
    ("Biarritz", ("64200",), 25, "5", "Europe/Paris"),
    ("Libourne", ("33500",), 25, "5", "Europe/Paris"),
    ("Saintes", ("17100",), 25, "5", "Europe/Paris"),
    ("Saumur", ("49400",), 26, "2", "Europe/Paris"),
    ("Melun", ("77000",), 41, "1", "Europe/Paris"),
    ("Fontainebleau", ("77300",), 15, "1", "Europe/Paris"),
    ("Saint-Germain-en-Laye", ("78100",), 44, "1", "Europe/Paris"),
    ("Pontoise", ("95000", "95300"), 31, "1", "Europe/Paris"),
    ("Pointe-à-Pitre", ("97110",), 30, "590", "America/Guadeloupe"),
    ("Les Abymes", ("97139",), 34, "590", "America/Guadeloupe"),
    ("Baie-Mahault", ("97122",), 20, "590", "America/Guadeloupe"),
    ("Fort-de-France", ("97200",), 50, "596", "America/Martinique"),
    ("Le Lamentin", ("97232",), 25, "596", "America/Martinique"),
    ("Saint-Denis", ("97400",), 60, "262", "Indian/Reunion"),
    ("Saint-Pierre", ("97410",), 30, "262", "Indian/Reunion"),
    ("Le Tampon", ("97430",), 30, "262", "Indian/Reunion"),
    ("Saint-Paul", ("97460",), 35, "262", "Indian/Reunion"),
)

# English-speaking debtors (about 5% of the book) are in the UK.
UK_SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Harris", "Cooper", "Ward",
    "Morris", "King", "Baker", "Harrison", "Patel", "Campbell",
)
UK_FIRST_NAMES_F: tuple[str, ...] = (
    "Emma", "Olivia", "Sophie", "Charlotte", "Emily", "Lucy", "Hannah", "Grace", "Amelia",
    "Jessica", "Sarah", "Rachel", "Eleanor", "Chloe",
)
UK_FIRST_NAMES_M: tuple[str, ...] = (
    "James", "Oliver", "Jack", "Harry", "George", "William", "Thomas", "Daniel", "Matthew",
    "Samuel", "Andrew", "David", "Edward", "Callum",
)
UK_TRADES: tuple[str, ...] = (
    "Logistics", "Engineering", "Consulting", "Trading", "Builders", "Foods", "Imports",
    "Design", "Catering", "Motors", "Supplies", "Media", "Wines", "Textiles",
)
UK_STREETS: tuple[str, ...] = (
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue",
    "King Street", "Queen's Road", "Mill Lane", "London Road", "The Green", "Albert Road",
    "Manor Way",
)
# (city, outward codes, weight)
UK_TOWNS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("London", ("EC1A", "EC2M", "SE1", "SW1A", "W1D", "N1", "E1", "NW1"), 900),
    ("Manchester", ("M1", "M2", "M4", "M15"), 55),
    ("Birmingham", ("B1", "B2", "B5", "B15"), 110),
    ("Leeds", ("LS1", "LS2", "LS11"), 80),
    ("Bristol", ("BS1", "BS2", "BS8"), 46),
    ("Edinburgh", ("EH1", "EH2", "EH3"), 52),
    ("Glasgow", ("G1", "G2", "G3"), 63),
    ("Liverpool", ("L1", "L2", "L3"), 50),
    ("Cambridge", ("CB1", "CB2"), 15),
    ("Oxford", ("OX1", "OX2"), 15),
)

# Short notes agents type after a conversation, by non-payment reason.
NOTE_TEXTS: dict[str, tuple[str, ...]] = {
    "cash_flow": (
        "Trésorerie tendue, attend le règlement d'un gros client.",
        "Difficultés passagères, demande un délai.",
        "Baisse d'activité, paiera dès que possible.",
    ),
    "forgot": (
        "Oubli reconnu, règlement promis cette semaine.",
        "Facture passée à la trappe, virement en cours.",
    ),
    "invoice_not_received": (
        "Dit ne pas avoir reçu la facture, renvoyée par e-mail.",
        "Facture envoyée à une ancienne adresse, duplicata transmis.",
    ),
    "dispute": (
        "Conteste le montant, attend un avoir.",
        "Livraison incomplète selon le client.",
    ),
    "awaiting_approval": (
        "Facture en attente de validation par la direction.",
        "Bon de commande manquant, circuit de validation en cours.",
    ),
    "insolvency": (
        "Société en redressement judiciaire, déclarer la créance.",
        "Procédure de sauvegarde ouverte, contacter le mandataire.",
    ),
    "other": (
        "Interlocuteur absent, rappeler la comptable.",
        "Changement de gérant, nouvelles coordonnées à obtenir.",
    ),
}

DISPUTE_TEXTS: dict[str, tuple[str, ...]] = {
    "quality": ("Marchandise non conforme à la commande.", "Prestation jugée défectueuse."),
    "delivery": ("Livraison jamais reçue.", "Livraison partielle, reliquat manquant."),
    "price": ("Prix différent du devis signé.", "Remise négociée non appliquée."),
    "already_paid": ("Affirme avoir déjà réglé par virement.", "Paiement par chèque envoyé."),
    "not_ordered": ("Conteste avoir passé commande.",),
    "other": ("Litige en cours d'analyse par le service commercial.",),
}


def slug(text: str) -> str:
    """ASCII lower-case without spaces or accents, for usernames and e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# --- Weighted lookup tables and debtor identities -------------------------------------------

def expand(pairs: tuple[tuple[object, int], ...] | list[tuple[object, int]], bits: int) -> list:
    """A table of 2**bits entries where each item appears in proportion to its weight.

    Picking `table[getrandbits(bits)]` is a weighted choice at the cost of one C call.
    """
    size = 1 << bits
    total = sum(weight for _item, weight in pairs)
    table: list = []
    running = 0
    for item, weight in pairs:
        running += weight
        table.extend([item] * (round(running * size / total) - len(table)))
    return table


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_complete(payload: str) -> str:
    """payload plus the Luhn check digit, as SIREN and SIRET numbers carry."""
    total = 0
    for position, ch in enumerate(reversed(payload)):
        digit = ord(ch) - 48
        total += _DOUBLED[digit] if position % 2 == 0 else digit
    return payload + str(-total % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_complete(number[:-1]) == number


_PROVIDERS = ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr",
              "outlook.fr", "wanadoo.fr", "yahoo.fr", "icloud.com")
_UK_PROVIDERS = ("gmail.com", "btinternet.com", "outlook.com", "yahoo.co.uk")
_COMPANY_MAILBOXES = ("compta", "contact", "facturation", "comptabilite", "administratif")
# Ofcom's ranges reserved for drama: realistic British numbers that reach nobody.
_UK_LANDLINES = {
    "London": "20 7946 0", "Manchester": "161 496 0", "Birmingham": "121 496 0",
    "Leeds": "113 496 0", "Bristol": "117 496 0", "Edinburgh": "131 496 0",
    "Glasgow": "141 496 0", "Liverpool": "151 496 0",
}
_OVERSEAS_MOBILE = {"590": "690", "596": "696", "262": "692"}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# kind, name, legal_id, address, postcode, city, country, timezone, language,
# phones [(label, value, search_key)], e-mails [(label, value)]
Identity = tuple[str, str, str, str, str, str, str, str, str,
                 list[tuple[str, str, str]], list[tuple[str, str]]]


class People:
    """Makes debtor identities from a caller's random stream; tables are built once."""

    def __init__(self) -> None:
        # One entry per postcode, weighted by the town's share: (city, postcode, region, tz).
        self.towns = expand([((city, code, region, tz), weight * 60 // len(codes))
                             for city, codes, weight, region, tz in TOWNS for code in codes], 14)
        self.addresses = [f"{n}{' bis' if n % 17 == 0 else ''} {street}"
                          for n in range(1, 121) for street in STREETS]
        self.uk_towns = expand([(t, t[2]) for t in UK_TOWNS], 8)
        self.forms = expand(LEGAL_FORMS, 7)
        self.slugs = {w: slug(w) for w in (*SURNAMES, *TRADES, *FIRST_NAMES_F, *FIRST_NAMES_M,
                                           *UK_SURNAMES, *UK_TRADES, *UK_FIRST_NAMES_F,
                                           *UK_FIRST_NAMES_M)}
        self.phone_counts = expand([(1, 70), (2, 25), (3, 5)], 7)
        self.email_counts = expand([(0, 35), (1, 55), (2, 10)], 7)

    def make(self, rnd: Callable[[], float], rb: Callable[[int], int]) -> Identity:
        if rnd() < 0.05:
            return self._british(rnd, rb)
        city, postcode, region, tz = self.towns[rb(14)]
        address = self.addresses[int(rnd() * len(self.addresses))]
        surname = SURNAMES[int(rnd() * len(SURNAMES))]
        n_phones = self.phone_counts[rb(7)]
        n_emails = self.email_counts[rb(7)]
        if rnd() < 0.65:
            trade = TRADES[int(rnd() * len(TRADES))]
            name = f"{trade} {surname} {self.forms[rb(7)]}"
            siren = luhn_complete(f"{30_000_000 + rb(26) % 70_000_000:08d}")
            legal_id = siren if rb(2) else luhn_complete(f"{siren}{1 + rb(10) % 9999:04d}")
            labels: tuple[str, ...] = ("office", "accounting", "mobile")
            domain = f"{self.slugs[trade]}-{self.slugs[surname]}.fr"
            emails = [("accounting", f"{_COMPANY_MAILBOXES[int(rnd() * 5)]}@{domain}")]
            if n_emails == 2:
                first = FIRST_NAMES_F[int(rnd() * len(FIRST_NAMES_F))]
                emails.append(("main", f"{self.slugs[first][0]}.{self.slugs[surname]}@{domain}"))
            kind = "company"
        else:
            female = rb(1)
            firsts = FIRST_NAMES_F if female else FIRST_NAMES_M
            first = firsts[int(rnd() * len(firsts))]
            name = f"{'Mme' if female else 'M.'} {first} {surname}"
            legal_id = ""
            labels = ("mobile", "office")
            n_phones = min(n_phones, 2)
            box = f"{self.slugs[first]}.{self.slugs[surname]}{rb(7) if rb(1) else ''}"
            emails = [("personal", f"{box}@{_PROVIDERS[int(rnd() * len(_PROVIDERS))]}"),
                      ("work", f"{box}@{_PROVIDERS[int(rnd() * len(_PROVIDERS))]}")]
            kind = "consumer"
        phones = []
        for label in labels[:n_phones]:
            digits = f"{rb(27) % 100_000_000:08d}"
            if len(region) == 3:  # overseas: +590 690 12 34 56
                prefix = _OVERSEAS_MOBILE[region] if label == "mobile" else region
                value = f"+{region} {prefix} {digits[2:4]} {digits[4:6]} {digits[6:]}"
                key = f"{region}{prefix}{digits[2:]}"
            else:
                prefix = ("6", "7")[rb(1)] if label == "mobile" else region
                value = (f"+33 {prefix} {digits[:2]} {digits[2:4]} {digits[4:6]} "
                         f"{digits[6:]}")
                key = f"33{prefix}{digits}"
            phones.append((label, value, key))
        return (kind, name, legal_id, address, postcode, city, "FR", tz, "fr", phones,
                emails[:n_emails])

    def _british(self, rnd: Callable[[], float], rb: Callable[[int], int]) -> Identity:
        city, outwards, _w = self.uk_towns[rb(8)]
        letters = _INWARD_LETTERS
        postcode = (f"{outwards[int(rnd() * len(outwards))]} {rb(3) + 1}"
                    f"{letters[int(rnd() * 20)]}{letters[int(rnd() * 20)]}")
        address = f"{1 + int(rnd() * 200)} {UK_STREETS[int(rnd() * len(UK_STREETS))]}"
        surname = UK_SURNAMES[int(rnd() * len(UK_SURNAMES))]
        if rnd() < 0.65:
            trade = UK_TRADES[int(rnd() * len(UK_TRADES))]
            kind, name, legal_id = "company", f"{surname} {trade} Ltd", f"{rb(23) % 10**7:08d}"
            labels: tuple[str, ...] = ("office", "accounting")
            domain = f"{self.slugs[surname]}{self.slugs[trade]}.co.uk"
            emails = [("accounting", f"accounts@{domain}"), ("main", f"info@{domain}")]
        else:
            female = rb(1)
            firsts = UK_FIRST_NAMES_F if female else UK_FIRST_NAMES_M
            first = firsts[int(rnd() * len(firsts))]
            title = ("Mrs", "Ms")[rb(1)] if female else "Mr"
            kind, name, legal_id = "consumer", f"{title} {first} {surname}", ""
            labels = ("mobile",)
            box = f"{self.slugs[first]}.{self.slugs[surname]}"
            emails = [("personal", f"{box}@{_UK_PROVIDERS[int(rnd() * 4)]}")]
        landline = _UK_LANDLINES.get(city, "1632 960")
        phones = []
        for label in labels[:1 + rb(1)]:
            tail = f"{rb(10) % 1000:03d}"
            prefix = "7700 900" if label == "mobile" else landline
            phones.append((label, f"+44 {prefix}{tail}", f"44{prefix.replace(' ', '')}{tail}"))
        return (kind, name, legal_id, address, postcode, city, "GB", "Europe/London", "en",
                phones, emails[:rb(1) + rb(1)])
