from pathlib import Path

import pytest

from recotui.config import ConfigError, load_settings


def write_config(text: str) -> Path:
    from recotui.config import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_file_then_env_then_flags(monkeypatch, tmp_path):
    write_config('db = "/from/file.sqlite3"\nlanguage = "en"\ndefault_term_days = 45\n'
                 '[priority_weights]\ncallback_due = 2000\n')
    settings = load_settings()
    assert settings.db == Path("/from/file.sqlite3") and settings.default_term_days == 45
    assert settings.priority_weights == {"callback_due": 2000}
    monkeypatch.setenv("RECOTUI_DB", "/from/env.sqlite3")
    monkeypatch.setenv("RECOTUI_LANGUAGE", "fr")
    settings = load_settings()
    assert settings.db == Path("/from/env.sqlite3") and settings.language == "fr"
    settings = load_settings({"db": "/from/flag.sqlite3", "language": None})
    assert settings.db == Path("/from/flag.sqlite3") and settings.language == "fr"


def test_default_store_lives_in_the_data_dir(tmp_path):
    assert load_settings().db == tmp_path / "data" / "recotui.sqlite3"


@pytest.mark.parametrize("text, message", [
    ("default_term_days = \"thirty\"", "whole number"),
    ("language = \"de\"", "fr or en"),
    ("colour = 3", "unknown setting"),
    ("db = ", "config.toml"),
])
def test_bad_config_is_named(text, message):
    write_config(text)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_a_bad_theme_or_contact_policy_stops_the_tui_with_a_message(tmp_path, capsys, monkeypatch):
    from recotui.cli import main

    monkeypatch.setenv("RECOTUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('theme = "neon"\n')
    assert main(["--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "theme must be one of" in capsys.readouterr().err
    (tmp_path / "config.toml").write_text('[contact_policy]\nmax_attempts = 0\n')
    assert main(["--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "contact_policy: The attempt cap must be at least 1." in capsys.readouterr().err
