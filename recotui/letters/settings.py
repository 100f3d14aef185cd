"""The letters' configuration: the creditor's identity, templates, SMTP, the ladder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recotui.domain.interest import ECB_MAIN_REFINANCING_RATES, RateTable
from recotui.domain.ladder import Ladder


class LetterSettingsError(ValueError):
    """A letters setting that cannot work; the message names the setting."""


@dataclass(frozen=True, slots=True)
class Creditor:
    name: str = "Votre Société SAS"
    address: str = ""  # lines separated by newlines
    legal_id: str = ""  # SIREN / SIRET
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    city: str = ""  # where letters are signed: "Paris, le ..."
    signature: str = "Le service recouvrement"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""  # empty: no e-mail, letters go by post
    port: int = 25
    username: str = ""
    password: str = ""
    sender: str = ""  # From: address; the creditor's e-mail when empty
    starttls: bool = False
    ssl: bool = False
    timeout_s: float = 10.0
    attempts: int = 3  # per message, for transient failures
    retry_wait_s: float = 2.0  # doubled after each failed attempt

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class LetterSettings:
    creditor: Creditor = field(default_factory=Creditor)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    ladder: Ladder = field(default_factory=Ladder)
    templates_dir: Path | None = None  # the user's overrides, searched first
    out_dir: Path = Path("letters")
    ecb_rates: RateTable = ECB_MAIN_REFINANCING_RATES


def _build(kind: type, mapping: Mapping[str, Any], section: str) -> Any:
    known = {name: default for name, default in kind.__dataclass_fields__.items()}
    values = {}
    for key, value in mapping.items():
        if key not in known:
            raise LetterSettingsError(f"[{section}]: unknown setting {key!r}")
        default = getattr(kind(), key)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int | float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = type(default)(value) if ok else value
        else:
            ok = isinstance(value, str)
        if not ok:
            raise LetterSettingsError(
                f"[{section}]: {key} must be a {type(default).__name__}, not {value!r}")
        values[key] = value
    return kind(**values)


def letter_settings(settings: Any) -> LetterSettings:  # noqa: ANN401 - recotui.config.Settings
    """From the program's settings; raises LetterSettingsError naming the bad setting."""
    from recotui.domain.ladder import LadderError

    try:
        ladder = Ladder.from_mapping(settings.ladder)
    except LadderError as exc:
        raise LetterSettingsError(f"[ladder]: {exc}") from None
    letters = dict(settings.letters)
    templates = letters.pop("templates_dir", "")
    out = letters.pop("out_dir", "")
    if letters:
        raise LetterSettingsError(f"[letters]: unknown setting {sorted(letters)[0]!r}")
    rates = ECB_MAIN_REFINANCING_RATES
    if settings.ecb_rates:
        try:
            rates = rates.merged(settings.ecb_rates)
        except ValueError as exc:
            raise LetterSettingsError(f"[ecb_rates]: {exc}") from None
    return LetterSettings(
        creditor=_build(Creditor, settings.creditor, "creditor"),
        smtp=_build(SmtpSettings, settings.smtp, "smtp"),
        ladder=ladder,
        templates_dir=Path(templates).expanduser() if templates else None,
        out_dir=Path(out).expanduser() if out else Path(settings.db).parent / "letters",
        ecb_rates=rates,
    )
