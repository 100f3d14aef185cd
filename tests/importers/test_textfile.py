from __future__ import annotations

from datetime import date

import pytest

from recotui.domain.book import BookImportError
from recotui.importers.textfile import decode_bytes, parse_date, read_text_file, split_lines

NOT_TEXT = "f.txt: is not text in UTF-8, ISO-8859-15 or cp1252"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Élodie Lefèvre\n".encode(), "Élodie Lefèvre\n", "utf-8"),
        (b"\xef\xbb\xbfname\n", "name\n", "utf-8"),
        ("Cœur € Lefèvre\n".encode("cp1252"), "Cœur € Lefèvre\n", "cp1252"),
        ("Cœur € Lefèvre\n".encode("iso-8859-15"), "Cœur € Lefèvre\n", "iso-8859-15"),
        (b"plain ascii\r\n", "plain ascii\r\n", "utf-8"),
        (b"dos end\x1a", "dos end", "utf-8"),
    ],
)
def test_decodes_the_accepted_encodings(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data, "f.txt") == (text, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "f.txt: file is empty"),
        (b" \r\n\t\n", "f.txt: file is empty"),
        (b"\xef\xbb\xbf\n", "f.txt: file is empty"),
        ("a;b\n".encode("utf-16"), f"{NOT_TEXT} (looks like UTF-16)"),
        ("a;b\n".encode("utf-16-be"), f"{NOT_TEXT} (looks like UTF-16)"),
        ("a;b\n".encode("utf-32"), f"{NOT_TEXT} (looks like UTF-32)"),
        (b"a;b\nc;\x00d\n", f"{NOT_TEXT} (binary byte 0x00 on line 2)"),
        (b"PK\x03\x04\x14\x00junk", f"{NOT_TEXT} (binary byte 0x03 on line 1)"),
        (b"a\nb\n\x81\x8d", f"{NOT_TEXT} (byte 0x81 on line 3)"),
    ],
)
def test_refuses_what_is_not_text(data: bytes, message: str) -> None:
    with pytest.raises(BookImportError) as caught:
        decode_bytes(data, "f.txt")
    assert str(caught.value) == message


def test_read_text_file_names_the_file_as_given(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.csv").write_bytes("a;b\n".encode("utf-16"))
    with pytest.raises(BookImportError, match=r"^book\.csv: is not text"):
        read_text_file("book.csv")
    with pytest.raises(BookImportError, match=r"^missing\.csv: cannot be read"):
        read_text_file("missing.csv")


def test_split_lines_handles_every_line_end() -> None:
    assert split_lines("a\r\nb\nc\rd\n") == ["a", "b", "c", "d"]
    assert split_lines("a\u2028b\r\nc\r\n") == ["a\u2028b", "c"]  # only CR and LF end lines
    assert split_lines("a\x85b\nc") == ["a\x85b", "c"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-28", date(2026, 2, 28)),
        ("28/02/2026", date(2026, 2, 28)),
        ("20260228", date(2026, 2, 28)),
        ("31/02/2026", None),
        ("2026-13-01", None),
        ("20261301", None),
        ("2026-2-28", None),
        ("２０２６０２２８", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
