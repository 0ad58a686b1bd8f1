"""The round pages end to end for a teacher, a principal, a district officer and a parent; the Excel import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mamnon.health import selectors
from mamnon.health.models import Measurement, MeasurementRound


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(selectors, "local_today", lambda: dt.date(2023, 12, 10))


def login(client, user):
    client.force_login(user)
    return client


def test_teacher_enters_her_group_in_the_grid(client, classroom, rounds):
    w, g1 = classroom.world, classroom.groups["G1"]
    login(client, w.user("teacher1a"))
    page = client.get(reverse("health:rounds"))
    assert page.status_code == 200 and "ZZ-round-2" in page.content.decode()
    detail = client.get(reverse("health:round", args=[rounds[2].pk])).content.decode()
    assert w.marker("group-G1") in detail and w.marker("group-G2") not in detail
    url = reverse("health:grid", args=[rounds[2].pk, g1.pk])
    grid = client.get(url).content.decode()
    assert w.marker("child-K1") in grid and 'name="weight-' in grid and "hx-post" in grid
    k1, k2 = classroom.children["K1"], classroom.children["K2"]
    resp = client.post(url, {"date": "2023-12-05", f"weight-{k1.pk}": "18,5", f"height-{k1.pk}": "110,2",
                             f"lying-{k1.pk}": "0", f"weight-{k2.pk}": "", f"height-{k2.pk}": ""})
    assert resp.status_code == 302
    m = Measurement.objects.get()
    assert (m.child, m.round, m.weight_kg, m.height_cm, m.measured_lying) == (k1, rounds[2], Decimal("18.50"),
                                                                            Decimal("110.2"), False)
    assert m.measured_by == w.user("teacher1a") and m.waz is not None
    # the teacher's other group is not hers: 404
    assert client.get(reverse("health:grid", args=[rounds[2].pk, classroom.groups["G2"].pk])).status_code == 404


def test_grid_shows_errors_and_keeps_what_was_typed(client, classroom, rounds):
    login(client, classroom.world.user("principal1a"))
    k1 = classroom.children["K1"]
    url = reverse("health:grid", args=[rounds[2].pk, classroom.groups["G1"].pk])
    resp = client.post(url, {"date": "2023-12-05", f"weight-{k1.pk}": "abc", f"height-{k1.pk}": "110"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "is not a number" in body and 'value="abc"' in body
    resp = client.post(url, {"date": "2023-12-05", f"weight-{k1.pk}": "250", f"height-{k1.pk}": "110"})
    assert "is not a child&#x27;s weight" in resp.content.decode()
    assert not Measurement.objects.exists()


def test_preview_returns_scores_and_statuses(client, classroom, rounds):
    login(client, classroom.world.user("teacher1a"))
    k1 = classroom.children["K1"]
    url = reverse("health:preview", args=[classroom.groups["G1"].pk])
    resp = client.post(url, {"child": k1.pk, "round": rounds[2].pk, "date": "2023-12-05",
                             f"weight-{k1.pk}": "12", f"height-{k1.pk}": "100"}, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200 and "severely underweight" in body and "BMI/A" in body
    resp = client.post(url, {"child": k1.pk, "date": "2023-12-05", f"weight-{k1.pk}": "0,5", f"height-{k1.pk}": "100"})
    assert "is not a child&#x27;s weight" in resp.content.decode()
    resp = client.post(url, {"child": k1.pk, "date": "2023-12-05", f"weight-{k1.pk}": "-4", f"height-{k1.pk}": "100"})
    assert "is not a number" in resp.content.decode()
    other = classroom.children["K4"]
    assert client.post(url, {"child": other.pk, "date": "2023-12-05"}).status_code == 404
    g2 = reverse("health:preview", args=[classroom.groups["G2"].pk])
    assert client.post(g2, {"child": other.pk, "date": "2023-12-05"}).status_code == 404


def test_school_defines_its_rounds_and_defaults(client, classroom):
    w = classroom.world
    login(client, w.user("principal1a"))
    resp = client.post(reverse("health:rounds"), {"year": "2023-2024", "def-unit": w.units["S1a"].pk})
    assert resp.status_code == 302
    made = MeasurementRound.objects.filter(unit=w.units["S1a"]).order_by("number")
    assert [(r.number, r.start_date, r.deadline) for r in made] == [
        (1, dt.date(2023, 9, 1), dt.date(2023, 9, 20)), (2, dt.date(2023, 12, 1), dt.date(2023, 12, 20)),
        (3, dt.date(2024, 3, 1), dt.date(2024, 3, 20))]
    # a principal cannot define rounds for the district
    resp = client.post(reverse("health:rounds"), {"year": "2023-2024", "def-unit": w.units["D1"].pk})
    assert resp.status_code == 200 and not MeasurementRound.objects.filter(unit=w.units["D1"]).exists()
    # a teacher defines nothing
    client.logout()
    login(client, w.user("teacher1a"))
    resp = client.post(reverse("health:rounds"), {"year": "2023-2024", "def-unit": w.units["S1a"].pk})
    assert resp.status_code == 403


def test_district_officer_sees_figures_never_children(client, classroom, rounds):
    w = classroom.world
    login(client, w.user("district1"))
    stats = client.get(reverse("health:stats"), {"year": "2023-2024", "round": "2"})
    body = stats.content.decode()
    assert stats.status_code == 200 and w.marker("S1a") in body and w.marker("S2") not in body
    assert client.get(reverse("health:stats"), {"unit": w.units["S2"].pk}).status_code == 404
    assert client.get(reverse("health:stats"), {"unit": w.units["S1a"].pk}).status_code == 200
    assert client.get(reverse("health:follow-up", args=[w.schools["S1a"].pk])).status_code == 404
    assert client.get(reverse("health:grid", args=[rounds[2].pk, classroom.groups["G1"].pk])).status_code == 404
    xlsx = client.get(reverse("health:report-xlsx"), {"year": "2023-2024", "round": "2"})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(row=1, column=1).value == w.marker("D1")


def test_parent_and_other_school(client, classroom, rounds):
    w = classroom.world
    login(client, w.user("parent1a"))
    assert client.get(reverse("health:grid", args=[rounds[2].pk, classroom.groups["G1"].pk])).status_code == 404
    assert client.get(reverse("health:stats")).status_code == 404
    client.logout()
    login(client, w.user("principal2"))
    assert client.get(reverse("health:grid", args=[rounds[2].pk, classroom.groups["G1"].pk])).status_code == 404
    assert client.get(reverse("health:follow-up", args=[w.schools["S1a"].pk])).status_code == 404


def _template(client, rnd, school):
    resp = client.get(reverse("health:import-template", args=[rnd.pk, school.pk]))
    assert resp.status_code == 200
    return load_workbook(io.BytesIO(resp.content))


def _upload(client, rnd, school, wb):
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "can-do.xlsx"
    return client.post(reverse("health:import", args=[rnd.pk, school.pk]), {"file": buf})


def test_import_all_or_nothing(client, classroom, rounds):
    w = classroom.world
    login(client, w.user("health1a"))
    wb = _template(client, rounds[2], w.schools["S1a"])
    ws = wb.active
    ids = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    assert set(ids) == {classroom.children[k].pk for k in ("K1", "K2", "K3", "K4")}
    k1, k4 = ids[classroom.children["K1"].pk], ids[classroom.children["K4"].pk]
    ws.cell(row=k1, column=7, value=18.2)
    ws.cell(row=k1, column=8, value="110,5")
    ws.cell(row=k4, column=7, value=12.1)
    ws.cell(row=k4, column=8, value=89)
    ws.cell(row=k4, column=6, value="05/10/2023")  # outside round 2
    resp = _upload(client, rounds[2], w.schools["S1a"], wb)
    body = resp.content.decode()
    assert resp.status_code == 200 and f"Row {k4}" in body and "outside" in body
    assert not Measurement.objects.exists()
    ws.cell(row=k4, column=6, value=dt.datetime(2023, 12, 4))
    resp = _upload(client, rounds[2], w.schools["S1a"], wb)
    assert resp.status_code == 302
    rows = {m.child_id: m for m in Measurement.objects.all()}
    assert set(rows) == {classroom.children["K1"].pk, classroom.children["K4"].pk}
    assert rows[classroom.children["K4"].pk].measured_lying is False  # over 2 years and not marked lying
    assert rows[classroom.children["K1"].pk].height_cm == Decimal("110.5")


def test_import_refuses_garbage_and_other_schools(client, classroom, rounds):
    w = classroom.world
    login(client, w.user("health1a"))
    url = reverse("health:import", args=[rounds[2].pk, w.schools["S1a"].pk])
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    resp = client.post(url, {"file": junk})
    assert resp.status_code == 200 and "not an Excel workbook" in resp.content.decode()
    assert client.get(reverse("health:import", args=[rounds[2].pk, w.schools["S2"].pk])).status_code == 404
    client.logout()
    login(client, w.user("teacher1a"))
    assert client.get(url).status_code == 404
