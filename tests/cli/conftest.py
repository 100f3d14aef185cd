import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Config and data dirs of the test's own, so no test reads the developer's files."""
    monkeypatch.setenv("RECOTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RECOTUI_DATA_DIR", str(tmp_path / "data"))
    for name in ("RECOTUI_DB", "RECOTUI_LANGUAGE", "RECOTUI_USER", "RECOTUI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
