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
