from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Writer = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Writer:
    """Writes text (or bytes) to tmp_path/name and returns the relative path, so messages
    start with the bare file name."""
    monkeypatch.chdir(tmp_path)

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = Path(name)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write
