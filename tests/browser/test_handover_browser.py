"""The handover page in Debian's chromium on a phone-sized screen: htmx opens a child, the teacher records the
drop-off, the guardian signs with a finger on the canvas, the parent reads it in the portal.

Skipped (with the reason) when chromium is missing, like every browser test (conftest.py here).
"""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from mamnon.attendance.models import Handover
from tests.browser.test_roles import log_in
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import build_classroom, build_world

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MAMNON_SCREENSHOTS")  # a directory: keep screenshots of the pages for a look


def _shot(pg, name):
    if SHOTS:
        pg.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_teacher_records_and_the_guardian_signs_on_a_phone(page):
    classroom = build_classroom(build_world())
    k1, group = classroom.children["K1"], classroom.groups["G1"]
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "teacher1a")
    page.goto(f"/day/handover/{group.pk}/")
    assert page.locator(".handover-row").count() == 3
    _shot(page, "handover-day")
    # htmx: tapping the name opens the child's panel in place (no page load).
    page.click(f"#child-{k1.pk} a.child-name")
    page.wait_for_selector(f"#child-{k1.pk} .handover-panel")
    page.fill(f"#child-{k1.pk} input[name='d-temperature']", "37,1")
    page.fill(f"#child-{k1.pk} input[name='d-medicine']", "Siro ho")
    page.fill(f"#child-{k1.pk} input[name='d-medicine_dose']", "5 ml")
    page.fill(f"#child-{k1.pk} input[name='d-medicine_time']", "10:00")
    page.click(f"#child-{k1.pk} form:has(input[value='dropoff']) button[type=submit]")
    page.wait_for_selector(f"#child-{k1.pk} .notice")
    h = Handover.objects.get(child=k1)
    assert str(h.temperature) == "37.1" and h.dropoff_by == classroom.guardians["K1"]
    # The guardian signs with a finger (a mouse here) on the canvas.
    canvas = page.locator(f"#sigpad-{k1.pk} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 60 + (15 if step % 2 else -15))
    page.mouse.up()
    _shot(page, "handover-panel-signed")
    page.click(f"#child-{k1.pk} form.signature-form button[type=submit]")
    page.wait_for_selector(f"#child-{k1.pk} img.signature")
    h.refresh_from_db()
    assert h.confirm_method == Handover.Method.SIGNATURE and h.signature_svg.startswith("<svg")
    assert h.signature_svg.count("L") >= 10
    assert not page.problems, str(page.problems)
    # The book, as printed: no navigation, the signature in its column.
    page.goto(f"/day/handover/{group.pk}/book/?date={timezone.localdate():%d/%m/%Y}")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert page.locator("table.book img.signature").count() == 1
    page.set_viewport_size({"width": 1123, "height": 794})
    _shot(page, "handover-book-print")
    page.emulate_media(media="screen")
    # The parent reads it in the portal.
    page.context.clear_cookies()
    log_in(page, "parent1a")
    page.goto("/portal/")
    text = page.inner_text("main")
    assert "ZZ-child-K1" in text and "Siro ho" in text and "ZZ-child-K2" not in text
    _shot(page, "portal-home")
    page.goto(f"/day/handover/{group.pk}/book/?date={timezone.localdate():%d/%m/%Y}")
    assert "403" in page.title() or page.locator("table.book").count() == 0
