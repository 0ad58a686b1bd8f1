"""A scratch database for a benchmark: a fresh one on DATABASE_URL's PostgreSQL server (dropped
afterwards), else a temporary SQLite file. Shared by the scripts in bench/."""

import os
import tempfile
import uuid
from collections.abc import Callable


def scratch_database() -> tuple[str, Callable[[], None]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _name = url.rsplit("/", 1)
        name = f"mamnon_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")

        def drop():
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        return f"{base}/{name}", drop
    tmp = tempfile.mkdtemp()
    return f"sqlite:///{tmp}/bench.sqlite3", lambda: None
