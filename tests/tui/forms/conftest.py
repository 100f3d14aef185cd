import pytest

from recotui.store.store import Store
from tests.tui.forms.host import build_store


@pytest.fixture
def db(tmp_path):
    """A store with the fixed book of tests/tui/forms/host.py."""
    path = tmp_path / "forms.sqlite3"
    build_store(path)
    return path


@pytest.fixture
def store(db):
    opened = Store.open(db)
    yield opened
    opened.close()
