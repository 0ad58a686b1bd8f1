"""mamnon's middleware: the language, and the check of persistent database connections.

Vietnamese unless the user chose otherwise: Django's LocaleMiddleware follows the browser's Accept-Language,
so a teacher whose phone is set to English would get English. mamnon speaks Vietnamese by default and
switches only on the language cookie set by the language switch (django.views.i18n.set_language).
"""

import select

from django.conf import settings
from django.db import connections
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.activate(previous) if previous else translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseConnectionCheckMiddleware:
    """Drop a persistent PostgreSQL connection that the server has closed, before the request uses it.

    Django's CONN_HEALTH_CHECKS does the same with a ``SELECT 1`` round trip at the first query of every
    request. A server that closes a connection (a restart, ``pg_terminate_backend``, an idle timeout) first
    writes its goodbye to it, or the operating system marks the socket closed: an idle connection with
    something to read is one the server gave up. Asking the socket (``poll`` with no wait) costs no round
    trip, so the API's busiest request (a register's save) saves one of its database round trips; a
    connection found readable is closed and Django opens a new one at the request's first query, so a
    database restart still costs no failed request (tests/attendance/test_pipeline.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for conn in connections.all(initialized_only=True):
            if conn.vendor == "postgresql" and conn.connection is not None and not conn.in_atomic_block:
                if _server_gave_up(conn):
                    conn.close()
        return self.get_response(request)


def _server_gave_up(conn) -> bool:
    """True when the psycopg connection is closed, broken, or has unread bytes while idle."""
    raw = conn.connection
    if raw.closed or raw.broken:
        return True
    try:
        poller = select.poll()
        poller.register(raw.fileno(), select.POLLIN | select.POLLPRI)
    except (OSError, ValueError, AttributeError):  # no poll() here, or no socket: Django's own check
        return not conn.is_usable()
    return bool(poller.poll(0))
