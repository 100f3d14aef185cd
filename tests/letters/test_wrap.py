"""Long lines of a letter are wrapped by a greedy fast path (recotui.letters.render._greedy)
that must give textwrap's lines, or hand the line back to textwrap."""

from __future__ import annotations

import random
import textwrap

from recotui.letters.render import WIDTH, _greedy, wrap

ALPHABET = "abcdefé€0123456789.,;:-()\u00a0"


def random_line(rnd: random.Random) -> str:
    indent = " " * rnd.choice([0, 0, 0, 2, 4, 10, 40, 77, 78, 80])
    parts = []
    for _ in range(rnd.randint(1, 40)):
        size = rnd.choice([1, 2, 3, 5, 8, 12, 20, 40, 77, 78, 79, 90])
        word = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, size)))
        if rnd.random() < 0.02:
            word = "\u00a0" * rnd.randint(1, 3)  # a "word" textwrap drops as a space
        if rnd.random() < 0.01:
            word += "\t"
        parts += [word, " " * rnd.choice([1, 1, 1, 2, 3])]
    if rnd.random() < 0.5:
        parts.pop()
    return indent + "".join(parts)


def test_the_fast_path_gives_textwraps_lines():
    rnd = random.Random(6)
    fast = 0
    for _ in range(20_000):
        line = random_line(rnd)
        if len(line) <= WIDTH:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        got = _greedy(line, WIDTH, indent)
        if got is not None:
            fast += 1
            assert got == textwrap.wrap(line, WIDTH, subsequent_indent=indent,
                                        break_on_hyphens=False), repr(line)
    assert fast > 2_500


def test_letter_lines_take_the_fast_path():
    line = ("Nous vous prions de bien vouloir régler la somme de 1\u00a0234,56\u00a0€ par "
            "virement sur le compte FR76\u00a03000\u00a06000 avant le 12 mars 2026, faute de "
            "quoi nous serons contraints d'engager une procédure.")
    got = _greedy(line, WIDTH, "")
    assert got is not None and got == textwrap.wrap(line, WIDTH, break_on_hyphens=False)
    assert wrap("  " + line + "\n") == "\n".join(
        textwrap.wrap("  " + line, WIDTH, subsequent_indent="  ", break_on_hyphens=False)) + "\n"
