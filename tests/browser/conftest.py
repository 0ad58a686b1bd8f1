"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser).

One chromium per test session, a fresh browser context (cookies, storage) per test. Without a chromium
executable every browser test is skipped, and the reason is printed in the warnings summary and at
the end of the run (pytest does not list skip reasons unless ``-rs`` is given).

``MAMNON_CHROMIUM`` names another executable (set it to a missing path to see the skip).
"""

from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass, field

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "chromium not found: apt-get install chromium"

_skip_reasons: list[str] = []


class BrowserTestsSkipped(UserWarning):
    """Shown in the warnings summary, which pytest prints by default (also from xdist workers)."""


def chromium_executable() -> str | None:
    override = os.environ.get("MAMNON_CHROMIUM")
    candidate = override if override is not None else (shutil.which("chromium") or "/usr/bin/chromium")
    if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return None


def _skip(reason: str):
    if reason not in _skip_reasons:
        _skip_reasons.append(reason)
        try:
            warnings.warn(f"browser tests skipped: {reason}", BrowserTestsSkipped, stacklevel=2)
        except Warning:  # -W error: the skip below still says why
            pass
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    if executable is None:
        _skip(MISSING_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip("playwright is not installed: pip install -e '.[dev]'")
    # Playwright's sync API runs an asyncio event loop in this thread; Django's ORM would refuse to run
    # next to it (SynchronousOnlyOperation) although every call here is synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        _skip(f"chromium at {executable} does not start ({type(exc).__name__}: {str(exc).splitlines()[0]})")
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """Console errors and uncaught exceptions of one page, collected while the test runs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.console_errors or self.page_errors)

    def __str__(self) -> str:
        lines = [f"console error: {m}" for m in self.console_errors]
        lines += [f"page error: {m}" for m in self.page_errors]
        return "\n".join(lines)


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page in a fresh context, its ``problems`` collecting console errors and page errors."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    problems = PageProblems()

    def on_console(msg):
        if msg.type == "error":
            location = msg.location or {}
            problems.console_errors.append(f"{msg.text} ({location.get('url', '?')})")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: problems.page_errors.append(str(exc)))
    pg.problems = problems
    yield pg
    context.close()


def pytest_terminal_summary(terminalreporter):
    if _skip_reasons:
        terminalreporter.write_sep("-", "browser tests skipped")
        for reason in _skip_reasons:
            terminalreporter.write_line(reason)
