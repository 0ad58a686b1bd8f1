"""Turn DATABASE_URL into Django's DATABASES entry, with one-line errors for bad URLs."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_from_url(url: str | None, *, default_sqlite_path: Path) -> dict:
    """SQLite under var/ when no URL is given; PostgreSQL (psycopg 3) or SQLite from a URL otherwise."""
    if not url:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SUPPORTED_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unsupported scheme {scheme or '(none)'!r}; "
            "use postgres://user:password@host:port/name or sqlite:///path/to/file.sqlite3"
        )
    import dj_database_url

    try:
        # Persistent connections, checked at each request's start by mamnon.core.middleware's
        # DatabaseConnectionCheckMiddleware (a look at the socket) rather than CONN_HEALTH_CHECKS (a SELECT 1
        # round trip before each request's first query).
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options["connect_timeout"] = 5
        # Server-side parameter binding: PostgreSQL plans a statement's text once per connection and
        # reuses it; about 10% less CPU on the attendance save path (bench/attendance_load.py).
        # MAMNON_PG_SERVER_SIDE_BINDING=0 turns it off.
        options["server_side_binding"] = os.environ.get("MAMNON_PG_SERVER_SIDE_BINDING", "1") != "0"
        # Prepared statements: psycopg prepares a statement on the server once a connection has run it
        # this many times, and PostgreSQL then skips parsing and planning it (the register's reads and
        # writes run thousands of times per connection). Django leaves them off for connection poolers in
        # transaction mode (PgBouncer < 1.21): MAMNON_PG_PREPARE_THRESHOLD=off turns them off there.
        threshold = os.environ.get("MAMNON_PG_PREPARE_THRESHOLD", "2")
        if options["server_side_binding"] and threshold.lower() not in ("off", "none", ""):
            options["prepare_threshold"] = int(threshold)
    return config
