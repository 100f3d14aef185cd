"""Letters: legal figures against worked examples, text snapshots, PDFs read back, bad
templates."""

import os
import uuid
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from recotui.domain.interest import ECB_MAIN_REFINANCING_RATES
from recotui.domain.ladder import Ladder
from recotui.letters.compose import compose
from recotui.letters.pdf import to_pdf
from recotui.letters.render import LetterTemplateError, environment
from recotui.store.ladder_store import DebtorInfo, InvoiceInfo, LetterCase
from tests.letters.conftest import AS_OF, CREDITOR

EXPECTED = Path(__file__).with_name("expected")
LADDER = Ladder()
LETTER_STEPS = ["preventive", "relance_1", "relance_2", "mise_en_demeure"]


def debtor(kind="company", language="fr") -> DebtorInfo:
    return DebtorInfo("C001", "Dupont SARL" if kind == "company" else "Mme Claire Martin",
                      kind, "732829320" if kind == "company" else "", "3 avenue Foch", "75016",
                      "Paris", "FR", language, True, ())


def invoices(preventive=False) -> tuple[InvoiceInfo, ...]:
    if preventive:
        return (InvoiceInfo("F-8", date(2026, 2, 5), date(2026, 3, 5), 1_200_000, 1_200_000,
                            False),)
    # F-2: 2,500 € of which 1,000 € paid on 15 January 2026.
    return (InvoiceInfo("F-1", date(2025, 4, 1), date(2025, 5, 1), 1_000_000, 1_000_000, False),
            InvoiceInfo("F-2", date(2025, 11, 1), date(2025, 12, 1), 250_000, 150_000, False,
                        ((date(2026, 1, 15), 100_000),)))


def letter(step="mise_en_demeure", kind="company", language="fr", **kw):
    case = LetterCase(uuid.UUID(int=1), "EUR", "relance_2", debtor(kind, language),
                      invoices(step == "preventive"))
    return compose(environment(), case, LADDER.step(step), AS_OF, CREDITOR,
                   ECB_MAIN_REFINANCING_RATES, **kw)


def test_mise_en_demeure_interest_and_indemnity_to_the_cent():
    """Worked by hand, actual/365, ECB + 10 points by half-year:
    F-1 10,000.00 due 1 May 2025: 2 May-30 Jun 60 d at 13.15 % = 216.1644;
      1 Jul-31 Dec 184 d at 12.15 % = 612.4932; 1 Jan-2 Mar 2026 61 d at 12.15 % = 203.0548
      -> 1,031.7124 -> 1,031.71
    F-2 2,500.00 due 1 Dec 2025, 1,000.00 paid 15 Jan: 2-31 Dec 30 d on 2,500 = 24.9658;
      1-15 Jan 15 d on 2,500 = 12.4829; 16 Jan-2 Mar 46 d on 1,500 = 22.9685 -> 60.42
    Indemnity 2 x 40 €. Claim 11,500 + 1,092.13 + 80 = 12,672.13."""
    got = letter()
    f = got.figures
    assert (f.overdue_minor, f.interest_minor, f.indemnity_minor, f.claim_minor) == (
        1_150_000, 109_213, 8_000, 1_267_213)
    text = got.text
    assert "1\u00a0031,71\u00a0€" in text and "60,42\u00a0€" in text
    assert "12\u00a0672,13\u00a0€" in text
    assert "du 02/05/2025 au 30/06/2025, 60 j : 10\u00a0000,00\u00a0€ × 13,15\u00a0% = 216,16" \
        in text
    assert "du 16/01/2026 au 02/03/2026, 46 j : 1\u00a0500,00\u00a0€ × 12,15\u00a0%" in text
    assert "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION" in text
    assert "N° de recommandé : ______" in text


def test_a_consumer_gets_no_l441_interest_and_no_indemnity():
    got = letter(kind="consumer")
    assert (got.figures.interest_minor, got.figures.indemnity_minor) == (0, 0)
    assert got.figures.claim_minor == 1_150_000
    assert "L441-10" not in got.text and "40,00" not in got.text
    assert "1231-6 du Code civil" in got.text  # legal interest from the formal notice


def test_the_tracking_number_is_printed_when_known():
    assert "N° de recommandé : 1A 234 567 8901 2" in letter(
        tracking_number="1A 234 567 8901 2").text


def test_amounts_are_formatted_by_locale():
    assert "10\u00a0000,00\u00a0€" in letter(language="fr").text
    assert "€10,000.00" in letter(language="en").text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["company", "consumer"])
@pytest.mark.parametrize("step", LETTER_STEPS)
def test_template_snapshot(step, kind, language):
    """Every template, as text, against the file committed beside this test. To accept a
    change on purpose: RECOTUI_UPDATE_LETTERS=1 pytest tests/letters, then review the diff."""
    text = letter(step, kind, language).text
    path = EXPECTED / f"{step}.{kind}.{language}.txt"
    if os.environ.get("RECOTUI_UPDATE_LETTERS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 78


def test_every_letter_names_both_parties_the_invoices_the_total_and_how_to_pay():
    for step in LETTER_STEPS:
        text = " ".join(letter(step).text.split())  # lines wrapped, spaces unbroken or not
        for needle in ("Fournitures Martin SAS", "552 100 554 00012", "Dupont SARL",
                       "732829320", "Pour régler", "FR76 3000 6000", "Total"):
            assert needle in text, (step, needle)
        if step != "preventive":
            assert "F-1" in text and "01/05/2025" in text and "au plus tard le" in text


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_pdf_reads_back_as_the_text():
    got = letter()
    back = _pdf_text(to_pdf(got.marked, title=got.letter_no))
    flat = " ".join(back.replace("\u00a0", " ").split())
    for needle in ("LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION", "Objet : mise en demeure",
                   "Dupont SARL", "12 672,13 €", "1 031,71 €", "13,15 %",
                   "N° de recommandé : ____"):
        assert needle in flat, needle


def test_a_long_letter_goes_onto_more_pages():
    text = "\n".join(f"line {i}" for i in range(150))
    reader = PdfReader(BytesIO(to_pdf(text)))
    assert len(reader.pages) == 3
    assert "line 149" in reader.pages[2].extract_text()


def test_characters_outside_the_pdf_font_are_replaced_not_fatal():
    back = _pdf_text(to_pdf("Łódź Spółka – 100 €"))
    assert "Lódz Spólka – 100 €" in back  # ó is in the font; Ł and ź are not


def _broken(tmp_path, body: str) -> LetterTemplateError:
    (tmp_path / "relance_1.fr.txt").write_text(body, encoding="utf-8")
    case = LetterCase(uuid.UUID(int=1), "EUR", "relance_1", debtor(), invoices())
    with pytest.raises(LetterTemplateError) as info:
        compose(environment(str(tmp_path)), case, LADDER.step("relance_1"), AS_OF, CREDITOR,
                ECB_MAIN_REFINANCING_RATES)
    return info.value


def test_a_syntax_error_names_the_template_and_the_line(tmp_path):
    err = _broken(tmp_path, "Bonjour\n\n{% if debtor.name %}\nno end\n")
    assert "relance_1.fr.txt:" in str(err) and "endif" in str(err)
    err = _broken(tmp_path, "Bonjour\n{{ debtor.name \n")
    assert f"{tmp_path / 'relance_1.fr.txt'}:2" in str(err)


def test_an_unknown_name_names_the_template_and_the_line(tmp_path):
    err = _broken(tmp_path, "Bonjour\n\nCher {{ debtor.nom }}\n")
    assert f"{tmp_path / 'relance_1.fr.txt'}:3" in str(err)
    assert "nom" in str(err)


def test_a_user_template_overrides_the_shipped_one(tmp_path):
    (tmp_path / "relance_1.fr.txt").write_text("Total : {{ totals.claim }}\n", encoding="utf-8")
    case = LetterCase(uuid.UUID(int=1), "EUR", "relance_1", debtor(), invoices())
    got = compose(environment(str(tmp_path)), case, LADDER.step("relance_1"), AS_OF, CREDITOR,
                  ECB_MAIN_REFINANCING_RATES)
    assert got.text == "Total : 12\u00a0672,13\u00a0€\n"
    assert Decimal("12672.13")  # the same figure as the formal notice's, one step earlier
