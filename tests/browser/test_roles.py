"""Every role logs in through the real form, sees its unit, switches language; htmx filters a list.

The world is built inside each test (``transactional_db``): the live server answers from another
thread and must see committed rows.
"""

from __future__ import annotations

import re

import pytest

from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import PASSWORD, build_world

pytestmark = pytest.mark.browser

# The unit marker each demo role must see on its home page.
ROLE_UNIT = {
    "admin": "P",  # no membership: the administrator's home shows the roots of the tree
    "province": "P",
    "district1": "D1",
    "commune1": "C1",
    "principal1a": "S1a",
    "vice1a": "S1a",
    "teacher1a": "S1a",
    "health1a": "S1a",
    "kitchen1a": "S1a",
    "accountant1a": "S1a",
    "parent1a": "S1a",
}


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/login/'] button[type=submit]")


def assert_language(page, code: str) -> None:
    page.wait_for_selector(f"html[lang='{code}']")
    assert page.get_attribute("html", "lang") == code
    current = page.locator(".langswitch button[aria-current='true']")
    assert current.count() == 1
    assert current.get_attribute("data-lang") == code


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.click(f".langswitch button[data-lang='{code}']")
    assert_language(page, code)


def test_static_assets_are_served(page, live_server):
    """pytest-django's live server serves static files through the finders (mamnon/static, node_modules)."""
    for path, kind in (("/static/mamnon/mamnon.css", "css"), ("/static/vendor/htmx/htmx.min.js", "javascript"),
                       ("/static/mamnon/favicon.svg", "svg")):
        response = page.request.get(live_server.url + path)
        hint = " (node_modules missing? run `make install`)" if "vendor" in path else ""
        assert response.status == 200, f"{path} -> {response.status}{hint}"
        assert kind in response.headers.get("content-type", ""), response.headers.get("content-type")
    page.goto("/login/")
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load on the login page"
    assert page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('margin') !== undefined"
        " && [...document.styleSheets].some(s => s.href && s.href.endsWith('/static/mamnon/mamnon.css'))"
    )
    assert not page.problems, str(page.problems)


@pytest.mark.parametrize("role", list(ROLE_UNIT))
def test_role_logs_in_sees_its_unit_and_switches_language(page, live_server, role):
    world = build_world()
    user = world.users[role]
    log_in(page, user.username)
    assert page.url.rstrip("/") == live_server.url, f"{role} landed on {page.url}, not on the home page"
    assert_language(page, "vi")
    marker = world.marker(ROLE_UNIT[role])
    assert re.search(re.escape(marker) + r"(?![\w-])", page.content()), f"{role} does not see {marker}"
    assert page.evaluate("typeof window.htmx") == "object"

    switch_language(page, "en")
    assert page.url.rstrip("/") == live_server.url, "the language switch left the page"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert marker in page.content()

    switch_language(page, "vi")
    assert marker in page.content()
    # The choice sticks: the next page is in Vietnamese too.
    page.goto("/org/units/")
    assert_language(page, "vi")
    assert not page.problems, f"{role}:\n{page.problems}"


def test_school_search_filters_the_table_with_htmx(page):
    world = build_world()
    log_in(page, world.users["district1"].username)
    page.goto("/org/schools/")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    assert "ZZ-S1a" in page.inner_text("#results") and "ZZ-S1b" in page.inner_text("#results")

    fragment_requests = []
    page.on("request", lambda r: fragment_requests.append(r) if r.headers.get("hx-request") == "true" else None)
    page.evaluate("window.__sameDocument = true")
    page.locator("input[name=q]").press_sequentially("S1b", delay=20)
    page.wait_for_function(
        "document.querySelectorAll('#results tbody tr').length === 1"
        " && document.querySelector('#results').innerText.includes('ZZ-S1b')"
    )
    assert "ZZ-S1a" not in page.inner_text("#results")
    # No full reload: the page's own JavaScript state survived, and the table came as an htmx fragment.
    assert page.evaluate("window.__sameDocument") is True
    assert fragment_requests, "no htmx request was made"
    assert all("q=S" in r.url for r in fragment_requests)
    # hx-push-url: the address bar holds the search, so a reload or a shared link keeps it.
    page.wait_for_function("location.search.includes('q=S1b')")
    assert not page.problems, str(page.problems)
