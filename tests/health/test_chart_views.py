"""The per-child growth chart page: the SVG, its points, and who may see it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from mamnon.health.models import Measurement
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.english import english  # noqa: F401  (autouse: English pages)

SVG = "{http://www.w3.org/2000/svg}"


def measure(classroom, key, day, weight, height, lying=False):
    child = classroom.children[key]
    return Measurement.objects.create(
        school=child.school, child=child, group=None, date=day, age_days=(day - child.birth_date).days,
        weight_kg=Decimal(weight), height_cm=Decimal(height), measured_lying=lying)


@pytest.fixture
def measured(classroom):
    """K1 (boy, born 01/03/2018) measured three times in 2023-2024; K2 once (another child, same group)."""
    rows = [measure(classroom, "K1", dt.date(2023, 9, 15), "18.5", "110.0"),
            measure(classroom, "K1", dt.date(2023, 12, 15), "19.0", "112.0"),
            measure(classroom, "K1", dt.date(2024, 3, 15), "19.6", "113.5")]
    measure(classroom, "K2", dt.date(2023, 9, 15), "17.0", "105.0")
    return rows


def svg_of(response):
    body = response.content.decode()
    start, end = body.index("<svg"), body.index("</svg>") + len("</svg>")
    return ET.fromstring(body[start:end])


def url(classroom, key="K1", tab=None):
    u = reverse("health:child-chart", args=[classroom.children[key].pk])
    return f"{u}?tab={tab}" if tab else u


def test_chart_points_at_the_right_pixels(classroom, measured, client):
    client.force_login(classroom.world.user("health1a"))
    response = client.get(url(classroom, tab="wfa"))
    assert response.status_code == 200
    root = svg_of(response)
    assert root.get("data-indicator") == "wfa" and root.get("data-sex") == "1"
    # Age axis: K1 is 8 years old today, so the axis runs 0-84 months (the page's cap).
    x0, x1, y0, y1 = (float(root.get(k)) for k in ("data-x0", "data-x1", "data-y0", "data-y1"))
    assert (x0, x1) == (0.0, 84.0)
    circles = root.findall(f".//{SVG}circle[@class='child-point']")
    assert len(circles) == 3
    # Default layout: plot area x from 64 to 716 (652 px), y from 56 to 464 (408 px).
    born = dt.date(2018, 3, 1)
    for c, (day, kg) in zip(circles, [(dt.date(2023, 9, 15), 18.5), (dt.date(2023, 12, 15), 19.0),
                                      (dt.date(2024, 3, 15), 19.6)], strict=True):
        months = (day - born).days / 30.4375
        assert float(c.get("cx")) == pytest.approx(64 + (months - x0) / (x1 - x0) * 652, abs=0.006)
        assert float(c.get("cy")) == pytest.approx(464 - (kg - y0) / (y1 - y0) * 408, abs=0.006)
    assert [c.find(f"{SVG}title").text for c in circles] == ["15/09/2023: 18,5 kg", "15/12/2023: 19,0 kg",
                                                           "15/03/2024: 19,6 kg"]
    curves = root.findall(f".//{SVG}polyline[@class='sd-curve']")
    assert sorted({c.get("data-sd") for c in curves}) == ["-2", "-3", "0", "2", "3"]
    assert {c.get("data-reference") for c in curves} == {"WHO 2006", "WHO 2007"}
    assert "ZZ-child-K1" in response.content.decode()


def test_chart_tabs(classroom, measured, client):
    client.force_login(classroom.world.user("principal1a"))
    for tab, indicator, plotted in (("lhfa", "lhfa", 3), ("bfa", "bfa", 3), ("wflh", "wfh", 0)):
        response = client.get(url(classroom, tab=tab))
        assert response.status_code == 200
        root = svg_of(response)
        assert root.get("data-indicator") == indicator
        # Weight-for-height stops at 60 months: K1's measurements (66-72 months) have no place on it.
        assert len(root.findall(f".//{SVG}circle[@class='child-point']")) == plotted
    bmi = svg_of(client.get(url(classroom, tab="bfa")))
    first = bmi.findall(f".//{SVG}circle[@class='child-point']")[0]
    assert float(first.get("data-y")) == pytest.approx(18.5 / 1.10**2, abs=1e-4)
    # An unknown tab falls back to weight-for-age.
    assert svg_of(client.get(url(classroom, tab="nope"))).get("data-indicator") == "wfa"


def test_chart_of_a_child_without_measurements(classroom, client):
    client.force_login(classroom.world.user("principal1a"))
    response = client.get(url(classroom, key="K3"))
    assert response.status_code == 200
    assert svg_of(response).find(f".//{SVG}circle") is None


@pytest.mark.parametrize("who,key,status", [
    ("principal1a", "K1", 200), ("vice1a", "K1", 200), ("health1a", "K4", 200),
    ("teacher1a", "K1", 200), ("teacher1a", "K2", 200), ("teacher1a", "K4", 404),  # K4 is not in her group
    ("parent1a", "K1", 200), ("parent1a", "K2", 404),
    ("principal1b", "K1", 404), ("principal2", "K1", 404), ("kitchen1a", "K1", 404), ("accountant1a", "K1", 404),
    # Offices: counts only, never a child's chart (Measurement's view roles leave them out).
    ("district1", "K1", 404), ("province", "K1", 404), ("commune1", "K1", 404), ("district2", "K1", 404),
    ("nobody", "K1", 404), ("admin", "K6", 200),
])
def test_chart_scoping(classroom, measured, client, who, key, status):
    client.force_login(classroom.world.user(who))
    response = client.get(url(classroom, key=key))
    assert response.status_code == status
    if status == 404:
        assert b"ZZ-child" not in response.content


def test_chart_needs_login(classroom, client):
    response = client.get(url(classroom))
    assert response.status_code == 302


def test_teacher_sees_the_whole_history_of_a_child_now_in_her_group(classroom, measured, client):
    """Measurements taken in an earlier group (here: no group) are on the chart of the teacher who has the child
    now: the chart is the child's, not the group's."""
    client.force_login(classroom.world.user("teacher1a"))
    root = svg_of(client.get(url(classroom)))
    assert len(root.findall(f".//{SVG}circle[@class='child-point']")) == 3


def test_parent_reaches_the_chart_from_the_portal(classroom, measured, client):
    client.force_login(classroom.world.user("parent1a"))
    portal = client.get(reverse("portal:child", args=[classroom.children["K1"].pk]))
    assert portal.status_code == 200
    link = reverse("health:child-chart", args=[classroom.children["K1"].pk])
    assert link in portal.content.decode()
    page = client.get(link + "?from=portal")
    assert page.status_code == 200
    assert reverse("portal:child", args=[classroom.children["K1"].pk]) in page.content.decode()
    assert b"ZZ-child-K2" not in page.content


def test_chart_page_is_printable(classroom, measured, client):
    client.force_login(classroom.world.user("principal1a"))
    body = client.get(url(classroom)).content.decode()
    assert "@media print" in body and "window.print()" in body
