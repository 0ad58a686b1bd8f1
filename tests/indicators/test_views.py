"""Dashboards, drill-down, export, targets and declarations through the pages, with scoping."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mamnon.calc import indicators as calc
from mamnon.indicators import exports, selectors, services
from mamnon.indicators.models import DeclaredValue, Indicator, Target
from mamnon.org import services as org_services
from mamnon.org.models import OrgLevel

pytestmark = pytest.mark.django_db
Y = "2023-2024"


@pytest.fixture
def scored(scenario):
    w = scenario.world
    u = w.units
    fullday = Indicator.objects.get(code="FULLDAY")
    services.target_set(actor=w.user("province"), unit=u["P"], indicator=fullday, period=Y,
                        comparison=calc.AT_LEAST, value=Decimal(100))
    services.target_set(actor=w.user("district1"), unit=u["D1"], indicator=fullday, period=Y,
                        comparison=calc.AT_LEAST, value=Decimal(90))
    services.target_set(actor=w.user("province"), unit=u["P"], indicator=Indicator.objects.get(code="ENGLISH"),
                        period=Y, comparison=calc.AT_LEAST, value=Decimal(11))
    services.values_refresh(school_year=Y)
    return scenario


def login(client, world, key):
    client.force_login(world.user(key))
    return client


def test_district_dashboard_shows_targets_values_status_and_units_below(client, scored):
    w = scored.world
    login(client, w, "district1")
    r = client.get(reverse("indicators:unit", args=[w.units["D1"].pk]), {"year": Y})
    assert r.status_code == 200
    html = r.content.decode()
    lines = {ln.target.indicator.code: ln for ln in r.context["lines"]}
    # D1's own FULLDAY target (>= 90) and the province's ENGLISH target offered to it.
    assert lines["FULLDAY"].target.unit_id == w.units["D1"].pk
    assert lines["ENGLISH"].inherited
    # May 2024 (the last month) is the latest: D1 5 children, 4 full day = 80% < 90; the year is over -> not achieved.
    assert lines["FULLDAY"].latest == pytest.approx(80.0)
    assert lines["FULLDAY"].status == calc.NOT_ACHIEVED
    assert w.marker("S1a") in html and w.marker("S1b") in html and w.marker("S2") not in html


def test_province_sees_weaker_targets_below(client, scored):
    w = scored.world
    login(client, w, "province")
    r = client.get(reverse("indicators:unit", args=[w.units["P"].pk]), {"year": Y})
    line = next(ln for ln in r.context["lines"] if ln.target.indicator.code == "FULLDAY")
    assert [t.unit_id for t in line.weaker] == [w.units["D1"].pk]
    assert w.marker("D1") in r.content.decode()


def test_dashboard_query_count_does_not_grow_with_units_below(client, scored, django_assert_max_num_queries):
    w = scored.world
    login(client, w, "province")
    url = reverse("indicators:unit", args=[w.units["P"].pk])
    client.get(url, {"year": Y})
    with django_assert_max_num_queries(14):
        client.get(url, {"year": Y})
    district = OrgLevel.objects.get(code="district")
    for i in range(6):
        org_services.unit_create(code=f"DX{i}", name=f"DX{i}", level=district, parent=w.units["P"])
    services.values_refresh(school_year=Y)
    with django_assert_max_num_queries(14):
        r = client.get(url, {"year": Y})
    assert len(r.context["rows"]) == 8


def test_units_below_filter_and_rank(client, scored):
    w = scored.world
    login(client, w, "province")
    url = reverse("indicators:unit", args=[w.units["P"].pk])
    r = client.get(url, {"year": Y, "sort": "FULLDAY"})
    assert [u.pk for u, _cells in r.context["rows"]] == [w.units["D1"].pk, w.units["D2"].pk]
    r = client.get(url, {"year": Y, "q": "D2", "part": "below"}, HTTP_HX_REQUEST="true")
    assert [u.pk for u, _cells in r.context["rows"]] == [w.units["D2"].pk]
    assert b"<html" not in r.content


def test_scope(client, scored):
    """Aggregates of a unit are readable by whoever may view the unit; nothing outside."""
    w = scored.world
    for key, unit, code in (("district2", "D1", 404), ("principal1a", "S1b", 404), ("teacher1a", "S1a", 200),
                            ("parent1a", "S1b", 404), ("principal1a", "S1a", 200), ("commune1", "D1", 404),
                            ("principal2", "P", 404)):
        client.force_login(w.user(key))
        assert client.get(reverse("indicators:unit", args=[w.units[unit].pk])).status_code == code, (key, unit)
        assert client.get(reverse("indicators:export", args=[w.units[unit].pk])).status_code == code, (key, unit)


def test_drill_down_to_groups_and_children(client, scored):
    w = scored.world
    login(client, w, "principal1a")
    r = client.get(reverse("indicators:indicator", args=[w.units["S1a"].pk, "FULLDAY"]), {"year": Y})
    groups = {name: (num, den) for _gid, name, num, den, _v in r.context["groups"]}
    assert groups == {w.marker("group-G1"): (3, 3), w.marker("group-G2"): (0, 1)}
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "FULLDAY"]), {"year": Y})
    html = r.content.decode()
    assert all(w.marker(f"child-{k}") in html for k in ("K1", "K2", "K3")) and w.marker("child-K4") not in html
    # Disability counts: the principal may list them; a district officer may not.
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "INCLUSION"]))
    assert w.marker("child-K1") in r.content.decode() and w.marker("child-K2") not in r.content.decode()
    login(client, w, "district1")
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "INCLUSION"]))
    assert not r.context["allowed"] and w.marker("child-K1") not in r.content.decode()
    login(client, w, "principal2")
    assert client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "FULLDAY"])).status_code == 404


def test_export_reads_back(client, scored):
    w = scored.world
    login(client, w, "district1")
    r = client.get(reverse("indicators:export", args=[w.units["D1"].pk]), {"year": Y})
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    rows = {ws.cell(row=i, column=1).value: [c.value for c in ws[i]] for i in range(exports.HEADER_ROW + 1,
                                                                                    ws.max_row + 1)}
    assert rows["FULLDAY"][4] == 80.0
    below = wb.worksheets[1]
    names = [below.cell(row=i, column=1).value for i in range(2, below.max_row + 1)]
    assert names == sorted([w.marker("C1"), w.marker("S1a"), w.marker("S1b")])  # the commune: no schools, no value


def test_targets_page_offers_and_adopts(client, scored):
    w = scored.world
    login(client, w, "principal1a")
    url = reverse("indicators:targets", args=[w.units["S1a"].pk])
    r = client.get(url, {"year": Y})
    # The nearest unit above's target is offered: D1's FULLDAY (>= 90), the province's ENGLISH.
    assert {(t.indicator.code, t.unit_id) for t in r.context["offered"]} == {
        ("FULLDAY", w.units["D1"].pk), ("ENGLISH", w.units["P"].pk)}
    client.post(url + f"?year={Y}", {"adopt": "1"})
    own = Target.objects.filter(unit=w.units["S1a"])
    assert own.count() == 2 and own.get(indicator__code="FULLDAY").source.unit_id == w.units["D1"].pk
    # A stricter target of its own.
    r = client.post(url + f"?year={Y}", {"indicator": Indicator.objects.get(code="FULLDAY").pk, "period": Y,
                                         "comparison": calc.AT_LEAST, "value": "95"})
    assert r.status_code == 302
    assert own.get(indicator__code="FULLDAY").value == Decimal(95)
    # Bad input: a Vietnamese error, nothing written.
    r = client.post(url + f"?year={Y}", {"indicator": Indicator.objects.get(code="UNDERWEIGHT").pk, "period": "2023",
                                         "comparison": calc.REDUCE_VS_BASELINE, "value": "1.2"})
    assert r.status_code == 200 and "form" in r.context and r.context["form"].errors
    assert not own.filter(indicator__code="UNDERWEIGHT").exists()
    # Teachers read the targets but may not set them.
    login(client, w, "teacher1a")
    r = client.get(url)
    assert r.status_code == 200 and r.context["form"] is None
    assert client.post(url, {"adopt": "1"}).status_code == 403


def test_declare_and_review(client, scored):
    w = scored.world
    login(client, w, "principal1a")
    url = reverse("indicators:declare", args=[w.units["S1a"].pk])
    ind = Indicator.objects.get(code="INCIDENTS")
    r = client.post(url, {"indicator": ind.pk, "period": "2023-10", "numerator": "1"})
    assert r.status_code == 302
    dv = DeclaredValue.objects.get(unit=w.units["S1a"])
    assert dv.status == DeclaredValue.Status.SUBMITTED
    # The principal cannot approve her own figure; district 2 does not see it; district 1 approves it.
    r = client.post(reverse("indicators:review", args=[dv.pk]), {"decision": "approve"})
    dv.refresh_from_db()
    assert dv.status == DeclaredValue.Status.SUBMITTED
    login(client, w, "district2")
    assert client.post(reverse("indicators:review", args=[dv.pk]), {"decision": "approve"}).status_code == 404
    login(client, w, "district1")
    r = client.get(reverse("indicators:reviews"))
    assert [d.pk for d in r.context["rows"]] == [dv.pk]
    client.post(reverse("indicators:review", args=[dv.pk]), {"decision": "return"})
    dv.refresh_from_db()
    assert dv.status == DeclaredValue.Status.SUBMITTED  # returning needs a reason
    client.post(reverse("indicators:review", args=[dv.pk]), {"decision": "approve"})
    dv.refresh_from_db()
    assert dv.status == DeclaredValue.Status.APPROVED
    services.values_refresh(period="2023-10")
    assert selectors.trend(w.units["D1"], ind, ["2023-10"]) == [("2023-10", 1.0)]


def test_catalogue_lists_every_code(client, scored):
    login(client, scored.world, "teacher1a")
    r = client.get(reverse("indicators:catalogue"))
    assert r.status_code == 200 and b"UNDERWEIGHT" in r.content and b"FULLDAY" in r.content


def test_drill_down_attendance_to_groups(client, scored):
    """October 2023 in S1a: G1 holds K1 present twice and K2 sick then present: 3 of 4 child-days."""
    w = scored.world
    login(client, w, "principal1a")
    r = client.get(reverse("indicators:indicator", args=[w.units["S1a"].pk, "ATTENDANCE"]), {"year": Y})
    groups = {name: (num, den) for _gid, name, num, den, _v in r.context["groups"]}
    assert groups == {w.marker("group-G1"): (3, 4)}
    r = client.get(reverse("indicators:indicator", args=[w.units["S1a"].pk, "ATTENDANCE_5Y"]), {"year": Y})
    assert {name: (n, d) for _g, name, n, d, _v in r.context["groups"]} == {w.marker("group-G1"): (3, 4)}


def test_drill_down_growth_to_groups_and_the_children_behind(client, scored):
    """Round 2 (December 2023) in S1a: K1 and K2 measured in G1, K2 underweight (moderate); K4 in G2 not measured.
    GROWTH_MONITORED per group: G1 2 of 3 enrolled, G2 0 of 1; UNDERWEIGHT: G1 1 of the 2 assessed."""
    import datetime as dt

    from mamnon.health.models import Measurement, MeasurementRound, Status

    w = scored.world
    s1a, g1 = w.schools["S1a"], scored.groups["G1"]
    rnd = MeasurementRound.objects.create(unit=w.units["S1a"], school_year=scored.year, number=2, name="Đợt 2",
                                          start_date=dt.date(2023, 12, 1), end_date=dt.date(2023, 12, 31),
                                          deadline=dt.date(2024, 1, 5))
    for key, wfa in (("K1", Status.NORMAL), ("K2", Status.MODERATE)):
        Measurement.objects.create(school=s1a, child=scored.children[key], group=g1, round=rnd,
                                   date=dt.date(2023, 12, 10), age_days=2000, wfa_status=wfa)
    login(client, w, "principal1a")
    url = reverse("indicators:indicator", args=[w.units["S1a"].pk, "GROWTH_MONITORED"])
    r = client.get(url, {"year": Y})
    # the school year reads round 3, which has no measurements: the groups' enrolment only
    assert {name: n for _g, name, n, _d, _v in r.context["groups"]} == {
        w.marker("group-G1"): 0, w.marker("group-G2"): 0}
    from mamnon.health import indicators as health_indicators
    from mamnon.indicators import periods

    window = periods.window(f"{Y}/R2")
    detail = health_indicators.growth_by_group(window, s1a.pk)
    assert detail["GROWTH_MONITORED"] == {g1.pk: (2.0, 3.0), scored.groups["G2"].pk: (0.0, 1.0)}
    assert detail["UNDERWEIGHT"][g1.pk] == (1.0, 2.0)
    listed = set(health_indicators.growth_children("UNDERWEIGHT", window, s1a.pk, None).values_list("pk", flat=True))
    assert listed == {scored.children["K2"].pk}
    # The page lists them for the principal; a teacher without health access and an officer see no names.
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "GROWTH_MONITORED"]), {"year": Y})
    assert r.context["allowed"]
    login(client, w, "district1")
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "UNDERWEIGHT"]), {"year": Y})
    assert not r.context["allowed"] and w.marker("child-K2") not in r.content.decode()
