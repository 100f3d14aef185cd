"""Engine set-up and schema upgrades. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text

from recotui.store.migrations import HEAD_REVISION


def database_url(db: str | Path) -> str:
    """A path becomes a SQLite URL; a URL is kept as it is."""
    text_db = str(db)
    if "://" in text_db:
        return text_db
    return f"sqlite:///{Path(text_db).expanduser()}"


def make_engine(db: str | Path, *, synchronous: str = "FULL") -> Engine:
    url = database_url(db)
    # Enough pooled connections for a server's thread pool (40 threads): beyond the pool,
    # connections were opened and closed per request, and requests queued for them. Last
    # in, first out: the few connections a light load needs stay warm (their page cache,
    # their prepared statements) instead of taking turns with the rest.
    pool = {"pool_size": 20, "max_overflow": 20, "pool_use_lifo": True}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pool)
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not path or path == ":memory:":
        pool = {}  # one connection per thread, as SQLAlchemy keeps them for memory
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a confirmed action is on disk, not only in the OS cache.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config():  # noqa: ANN201 - alembic is imported lazily, off the start path
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; a no-op (and no alembic import) when already there."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
