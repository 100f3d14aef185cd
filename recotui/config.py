"""Settings: a TOML file in the platform config dir, then RECOTUI_* env vars, then flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

APP_NAME = "recotui"


class ConfigError(ValueError):
    pass


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("RECOTUI_CONFIG_DIR") or user_config_dir(APP_NAME))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("RECOTUI_DATA_DIR") or user_data_dir(APP_NAME))


def _language_from_env() -> str:
    lang = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "fr" if lang.lower().startswith("fr") else "en"


@dataclass
class Settings:
    db: Path = field(default_factory=lambda: data_dir() / "recotui.sqlite3")
    language: str = field(default_factory=_language_from_env)  # fr | en
    user: str = ""  # the agent's username in the store
    default_currency: str = "EUR"
    default_term_days: int = 30  # FEC lines carry no due date
    dial_command: str = ""  # e.g. "linphonecsh dial {number}"
    server_url: str = ""
    token: str = ""
    promise_horizon_days: int = 30  # a promise date at most this far ahead
    theme: str = "textual-dark"  # "ansi-dark" or "ansi-light": the terminal's own palette
    # Tables (TOML sections); empty means the defaults in recotui/domain/vocab.py.
    call_outcomes: dict[str, str] = field(default_factory=dict)  # code → label
    non_payment_reasons: dict[str, str] = field(default_factory=dict)
    # The domain supplies defaults where these are empty.
    priority_weights: dict[str, int] = field(default_factory=dict)
    contact_policy: dict[str, Any] = field(default_factory=dict)
    ecb_rates: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # action id → key, user keymap
    # Letters (recotui/letters/settings.py reads and checks these).
    ladder: dict[str, Any] = field(default_factory=dict)  # min_gap_days, [[ladder.steps]]
    letters: dict[str, Any] = field(default_factory=dict)  # templates_dir, out_dir
    creditor: dict[str, Any] = field(default_factory=dict)  # name, address, legal_id, iban...
    smtp: dict[str, Any] = field(default_factory=dict)  # host, port, username, password...
    # Supervisor console: the day's collection target per currency, in major units.
    daily_targets: dict[str, str] = field(default_factory=dict)  # e.g. EUR = "25000"

    @property
    def demo_db(self) -> Path:
        return self.db.parent / "demo.sqlite3"

    @property
    def dispositions(self) -> dict[str, str]:
        from recotui.domain.vocab import DISPOSITIONS

        return self.call_outcomes or dict(DISPOSITIONS)

    @property
    def reasons(self) -> dict[str, str]:
        from recotui.domain.vocab import NON_PAYMENT_REASONS

        return self.non_payment_reasons or dict(NON_PAYMENT_REASONS)


_SCALARS = {f.name: f for f in fields(Settings) if f.name not in {
    "priority_weights", "contact_policy", "ecb_rates", "keys", "call_outcomes",
    "non_payment_reasons", "ladder", "letters", "creditor", "smtp", "daily_targets"}}


def _coerce(name: str, value: Any, source: str) -> Any:
    kind = _SCALARS[name].type
    if kind == "Path":
        return Path(str(value)).expanduser()
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{source}: {name} must be a whole number, not {value!r}") from exc
    if name == "language" and value not in {"fr", "en"}:
        raise ConfigError(f"{source}: language must be fr or en, not {value!r}")
    return str(value)


def config_file() -> Path:
    return Path(os.environ.get("RECOTUI_CONFIG") or config_dir() / "config.toml")


def load_settings(flags: dict[str, Any] | None = None, *, path: Path | None = None) -> Settings:
    settings = Settings()
    file = path or config_file()
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: {exc}") from exc
        for key, value in data.items():
            if key in _SCALARS:
                setattr(settings, key, _coerce(key, value, str(file)))
            elif hasattr(settings, key) and isinstance(value, dict):
                getattr(settings, key).update(value)
            else:
                raise ConfigError(f"{file}: unknown setting {key!r}")
    for name in _SCALARS:
        env = os.environ.get(f"RECOTUI_{name.upper()}")
        if env:
            setattr(settings, name, _coerce(name, env, f"RECOTUI_{name.upper()}"))
    for name, value in (flags or {}).items():
        if value is not None:
            setattr(settings, name, _coerce(name, value, f"--{name.replace('_', '-')}"))
    return settings
