"""Jinja2 templates to plain text. The user's directory is searched before the shipped one.

Templates are named `<step>.<lang>.txt`; a step without its own template uses the one of
its stage. A line that is `**text**` is a heading: bold in the PDF, plain in the text.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

WIDTH = 78  # columns: the PDF sets them in a monospaced font, 10 pt on A4
SHIPPED = Path(__file__).with_name("templates")


class LetterTemplateError(ValueError):
    """A template that does not load or render; the message names the file and the line."""


def _ljust(value: Any, width: int) -> str:  # noqa: ANN401
    return str(value)[:width].ljust(width)


def _rjust(value: Any, width: int) -> str:  # noqa: ANN401
    return str(value)[-width:].rjust(width)


@lru_cache(maxsize=8)
def environment(user_dir: str | None = None) -> jinja2.Environment:
    paths = [user_dir, str(SHIPPED)] if user_dir else [str(SHIPPED)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )
    env.filters["ljust"] = _ljust
    env.filters["rjust"] = _rjust
    return env


def template_name(env: jinja2.Environment, step: str, stage: str, lang: str) -> str:
    for name in (f"{step}.{lang}.txt", f"{stage}.{lang}.txt"):
        try:
            env.get_template(name)
            return name
        except jinja2.TemplateNotFound:
            continue
        except jinja2.TemplateSyntaxError as exc:
            raise _located(exc, name) from None
    raise LetterTemplateError(f"no template {step}.{lang}.txt (nor {stage}.{lang}.txt)")


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """The letter as text, lines wrapped at WIDTH, `**` heading marks kept."""
    try:
        raw = env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise _located(exc, name) from None
    except Exception as exc:  # noqa: BLE001 - any error inside a template is the template's
        raise _runtime(exc, name) from None
    return wrap(raw)


def _located(exc: jinja2.TemplateSyntaxError, name: str) -> LetterTemplateError:
    where = exc.filename or exc.name or name
    return LetterTemplateError(f"{where}:{exc.lineno}: {exc.message}")


def _runtime(exc: Exception, name: str) -> LetterTemplateError:
    """Jinja rewrites the traceback so template frames carry the template's file and line."""
    where, line = name, None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".txt"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    message = exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)
    return LetterTemplateError(f"{where}:{line if line is not None else '?'}: {message}")


def wrap(text: str) -> str:
    out = []
    for line in text.splitlines():
        if len(line) <= WIDTH:
            out.append(line.rstrip())
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.extend(_greedy(line, WIDTH, indent)
                   or textwrap.wrap(line, WIDTH, subsequent_indent=indent,
                                    break_on_hyphens=False) or [""])
    return "\n".join(out).strip("\n") + "\n"


# Whitespace that textwrap treats as such (it splits on these only), and a run of other
# whitespace (no-break spaces...) standing alone as a word, which textwrap would drop at a
# line's end as if it were a space.
_OTHER_WS = re.compile(r"[\t\n\x0b\x0c\r]|(?<![^ ])[^\S ]+(?![^ ])")


def _greedy(line: str, width: int, indent: str) -> list[str] | None:
    """textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) for the
    lines letters have (words between plain spaces, none longer than a line), in a fraction
    of its time; None for any other line, which textwrap then wraps."""
    if _OTHER_WS.search(line) or not indent.strip(" ") == "" or width - len(indent) < 1:
        return None
    size, lines, start, room = len(line), [], 0, width  # the first line has no indent
    while start < size:
        end = start + room
        if end >= size:
            end = size
        elif line[end] != " " and line[end - 1] != " ":  # inside a word: back to its start
            end = line.rfind(" ", start, end) + 1
            if end <= start or not line[start:end].strip(" "):
                return None  # a word longer than the line: textwrap breaks it
        piece = line[start:end].rstrip(" ")
        if not piece.strip(" "):
            return None
        lines.append(piece if start == 0 else indent + piece)
        start = end
        while start < size and line[start] == " ":
            start += 1
        room = width - len(indent)
    return lines


def plain(text: str) -> str:
    """The text version: heading marks removed."""
    return "\n".join(
        line[2:-2] if _heading(line) else line for line in text.split("\n"))


def _heading(line: str) -> bool:
    return len(line) > 4 and line.startswith("**") and line.endswith("**")
