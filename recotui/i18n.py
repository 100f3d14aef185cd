"""UI text in French or English. Source strings are English; `_()` looks up the French.

Catalogs are plain dicts in `recotui/locale/fr_*.py` (one per area, each named CATALOG), so
they ship with the package and need no compile step.
"""

from __future__ import annotations

import importlib
import pkgutil

_catalog: dict[str, str] = {}
_language = "en"


def set_language(language: str) -> None:
    global _language
    _language = language
    _catalog.clear()
    if language != "fr":
        return
    import recotui.locale as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("fr_"):
            _catalog.update(importlib.import_module(f"{package.__name__}.{module.name}").CATALOG)


def language() -> str:
    return _language


def _(text: str) -> str:
    return _catalog.get(text, text)


def pgettext(context: str, text: str) -> str:
    """`_()` for a short word whose French depends on where it stands ("Next" as a column
    header is not "Next" as a key hint); the catalog key is "context|text"."""
    return _catalog.get(f"{context}|{text}", text)
