"""Writes a realistic, deterministic FEC for benchmarks and tests.

    python bench/make_fec.py OUT.txt --lines 1000000 [--seed 0] [--sep tab|pipe]
        [--encoding utf-8|cp1252|iso-8859-15] [--parse]

Sales journal (VT) invoices are a 411 debit, a 706 credit and a 44571 VAT credit; some credit
notes reverse them. Bank journal (BQ) payments are a 512 debit and a 411 credit: some lettered
with their invoice, some unlettered partial payments that name the invoice, some on account.
--parse then times recotui's read_fec on the file.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)
SEPARATORS = {"tab": "\t", "pipe": "|"}
TRADES = (
    "Boulangerie", "Pâtisserie", "Garage", "Hôtel", "Café", "Librairie", "Fromagerie",
    "Brasserie", "Menuiserie", "Crèmerie", "Épicerie", "Pharmacie", "Agence", "Cabinet",
    "Atelier", "Société", "Transports", "Créations", "Élevage", "Bâtiment",
)
SURNAMES = (
    "Lefèvre", "Dupré", "Müller", "Bénard", "Cœur", "Gérard", "Moreau", "Faure", "Lemaître",
    "Château", "Rousseau", "Chevalier", "Benoît", "Noël", "Aubert", "Perrin", "Jérôme", "Bœuf",
    "Dubois", "Garçon", "Léger", "Hébert", "Pénélope", "Delaître", "Mercier", "Fontaine",
)
FIRST_NAMES = ("Émilie", "Hélène", "François", "Chloé", "Jérémy", "Noémie", "Loïc", "Zoé")
FORMS = ("SARL", "SAS", "EURL", "SA", "& Fils", "et Cie", "")
YEAR_START = date(2025, 1, 1)
YEAR_END = date(2025, 12, 31)
LINES_PER = {"invoice": 3, "credit_note": 3, "payment": 2}


def customer_name(rng: random.Random) -> str:
    if rng.random() < 0.15:  # a few consumers among the companies
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    return " ".join(filter(None, (rng.choice(TRADES), rng.choice(SURNAMES), rng.choice(FORMS))))


def amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def letter_code(n: int) -> str:
    """AAA, AAB, ...: lettering codes as accounting software writes them."""
    code = ""
    for _ in range(3):
        n, rest = divmod(n, 26)
        code = chr(65 + rest) + code
    return code


def plan(lines: int, rng: random.Random) -> tuple[list[str], list[tuple]]:
    """Customers, and entries as compact tuples (day, order, kind, ...): cheap to hold for a
    million lines, and sorted by day so the file reads like a real journal."""
    customers = [customer_name(rng) for _ in range(max(10, lines // 60))]
    entries: list[tuple] = []
    total = 1  # the header
    invoice_no = payment_no = letters = 0
    span = (YEAR_END - YEAR_START).days
    while total < lines:
        invoice_no += 1
        who = rng.randrange(len(customers))
        day = YEAR_START + timedelta(days=rng.randrange(span))
        net = rng.randrange(2_000, 500_000)
        vat = net // 5
        ref = f"FA{day.year}-{invoice_no:06d}"
        fate = rng.random()
        paid_on = min(day + timedelta(days=rng.randrange(5, 90)), YEAR_END)
        letter = ""
        before = len(entries)
        if fate < 0.45:  # paid in full and lettered
            letters += 1
            letter = letter_code(letters)
            payment_no += 1
            entries.append((paid_on, 1, "payment", who, f"VIR{payment_no:07d}", ref, net + vat,
                            letter))
        elif fate < 0.60:  # a partial payment naming the invoice
            payment_no += 1
            entries.append((paid_on, 1, "payment", who, ref, ref, (net + vat) // 2, ""))
        elif fate < 0.70:  # a payment on account, naming nothing
            payment_no += 1
            entries.append((paid_on, 1, "payment", who, f"VIR{payment_no:07d}", "",
                            rng.randrange(1_000, net + vat), ""))
        elif fate < 0.72:  # a credit note, its own piece
            entries.append((paid_on, 0, "credit_note", who, f"AV{day.year}-{invoice_no:06d}",
                            ref, net // 4, vat // 4))
        entries.append((day, 0, "invoice", who, ref, net, vat, letter, paid_on))
        total += sum(LINES_PER[entry[2]] for entry in entries[before:])
    entries.sort(key=lambda e: (e[0], e[1], e[4]))
    return customers, entries


def write_fec(path: str | Path, lines: int, seed: int = 0, sep: str = "tab",
              encoding: str = "utf-8") -> int:
    """Writes about `lines` lines (header included); returns the number written."""
    rng = random.Random(seed)
    separator = SEPARATORS.get(sep, sep)
    written = 0
    numbers = {"VT": 0, "BQ": 0}
    with open(path, "w", encoding=encoding, newline="\r\n") as out:
        def row(*fields: str) -> None:
            nonlocal written
            out.write(separator.join(fields) + "\n")
            written += 1

        row(*HEADER)
        customers, entries = plan(lines, rng)
        for day, _, kind, who, *rest in entries:
            name, aux = customers[who], f"C{who:05d}"
            ymd = day.strftime("%Y%m%d")
            journal = "BQ" if kind == "payment" else "VT"
            numbers[journal] += 1
            num = f"{journal}{numbers[journal]:06d}"
            jlib = "Banque" if journal == "BQ" else "Ventes"
            if kind == "invoice":
                ref, net, vat, letter, paid_on = rest
                let_date = paid_on.strftime("%Y%m%d") if letter else ""
                lib = f"Facture {ref} {name}"
                row(journal, jlib, num, ymd, "411000", "Clients", aux, name, ref, ymd, lib,
                    amount(net + vat), "0,00", letter, let_date, ymd, "", "")
                row(journal, jlib, num, ymd, "706000", "Prestations de services", "", "", ref,
                    ymd, lib, "0,00", amount(net), "", "", ymd, "", "")
                row(journal, jlib, num, ymd, "445710", "TVA collectée", "", "", ref, ymd, lib,
                    "0,00", amount(vat), "", "", ymd, "", "")
            elif kind == "payment":
                piece, invoice_ref, cents, letter = rest
                lib = f"Règlement {invoice_ref or 'acompte'} {name}"
                row(journal, jlib, num, ymd, "512000", "Banque", "", "", piece, ymd, lib,
                    amount(cents), "0,00", "", "", ymd, "", "")
                row(journal, jlib, num, ymd, "411000", "Clients", aux, name, piece, ymd, lib,
                    "0,00", amount(cents), letter, ymd if letter else "", ymd, "", "")
            else:
                piece, invoice_ref, net, vat = rest
                lib = f"Avoir sur {invoice_ref} {name}"
                row(journal, jlib, num, ymd, "411000", "Clients", aux, name, piece, ymd, lib,
                    "0,00", amount(net + vat), "", "", ymd, "", "")
                row(journal, jlib, num, ymd, "706000", "Prestations de services", "", "", piece,
                    ymd, lib, amount(net), "0,00", "", "", ymd, "", "")
                row(journal, jlib, num, ymd, "445710", "TVA collectée", "", "", piece, ymd,
                    lib, amount(vat), "0,00", "", "", ymd, "", "")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sep", choices=sorted(SEPARATORS), default="tab")
    parser.add_argument("--encoding", choices=("utf-8", "cp1252", "iso-8859-15"),
                        default="utf-8")
    parser.add_argument("--parse", action="store_true", help="time read_fec on the file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_fec(args.out, args.lines, args.seed, args.sep, args.encoding)
    size = Path(args.out).stat().st_size
    print(f"wrote {written} lines, {size / 1e6:.1f} MB to {args.out} "
          f"in {time.perf_counter() - started:.1f} s")
    if args.parse:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from recotui.importers.fec import read_fec

        started = time.perf_counter()
        book = read_fec(args.out)
        elapsed = time.perf_counter() - started
        print(f"read_fec: {elapsed:.2f} s, {book.lines_read} lines, {len(book.debtors)} debtors, "
              f"{len(book.invoices)} invoices, skipped {dict(book.skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
