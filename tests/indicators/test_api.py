"""The indicators API: catalogue, values, targets and the scorecard, scoped like the pages."""

import pytest
from rest_framework.test import APIClient

from mamnon.calc import indicators as calc
from mamnon.indicators import services
from mamnon.indicators.models import Indicator, Target

pytestmark = pytest.mark.django_db
Y = "2023-2024"


@pytest.fixture
def api(scenario):
    services.values_refresh(school_year=Y)
    return scenario


def client_for(world, key):
    c = APIClient()
    c.force_authenticate(world.user(key))
    return c


def test_catalogue(api):
    c = client_for(api.world, "teacher1a")
    r = c.get("/api/indicators/FULLDAY/")
    assert r.status_code == 200 and r.json()["computed"] is True and r.json()["factor"] == "100.00"
    assert c.get("/api/indicators/NEW_SCHOOLS/").json()["computed"] is False


def test_values_are_scoped(api):
    w = api.world
    r = client_for(w, "district2").get("/api/indicator-values/",
                                       {"indicator__code": "FULLDAY", "period": "2023-2024/R2"})
    units = {row["unit"] for row in r.json()["results"]}
    assert units == {w.units["D2"].pk, w.units["S2"].pk}  # not D1's, the province's or S1a's
    row = next(x for x in r.json()["results"] if x["unit"] == w.units["D2"].pk)
    assert (row["numerator"], row["denominator"]) == (1, 3)


def test_targets_create_scope_and_errors(api):
    w = api.world
    c = client_for(w, "district1")
    r = c.post("/api/targets/", {"unit": w.units["D1"].pk, "indicator": "FULLDAY", "period": Y,
                                 "comparison": calc.AT_LEAST, "value": "90"}, format="json")
    assert r.status_code == 201, r.json()
    assert Target.objects.get(unit=w.units["D1"]).value == 90
    # Outside the scope, a bad period, a reduction without a baseline: 400 with Vietnamese messages, nothing written.
    r = c.post("/api/targets/", {"unit": w.units["D2"].pk, "indicator": "FULLDAY", "period": Y,
                                 "comparison": calc.AT_LEAST, "value": "90"}, format="json")
    assert r.status_code == 400 and "unit" in r.json()
    r = c.post("/api/targets/", {"unit": w.units["D1"].pk, "indicator": "FULLDAY", "period": "năm nay",
                                 "comparison": calc.AT_LEAST, "value": "90"}, format="json")
    assert r.status_code == 400 and "period" in r.json()
    r = c.post("/api/targets/", {"unit": w.units["D1"].pk, "indicator": "UNDERWEIGHT", "period": Y,
                                 "comparison": calc.REDUCE_VS_BASELINE, "value": "1.2"}, format="json")
    assert r.status_code == 400 and "baseline_period" in r.json()
    assert Target.objects.count() == 1
    assert client_for(w, "district2").get("/api/targets/").json()["count"] == 0
    assert client_for(w, "teacher1a").post("/api/targets/", {
        "unit": w.units["S1a"].pk, "indicator": "FULLDAY", "period": Y, "comparison": calc.AT_LEAST,
        "value": "90"}, format="json").status_code == 403


def test_scorecard(api):
    w = api.world
    services.target_set(actor=w.user("province"), unit=w.units["P"], indicator=Indicator.objects.get(code="FULLDAY"),
                        period=Y, comparison=calc.AT_LEAST, value=90)
    r = client_for(w, "principal2").get("/api/scorecard/", {"unit": w.units["S2"].pk, "year": Y})
    assert r.status_code == 200
    (line,) = r.json()
    # S2 in May 2024: 2 children, 1 full day = 50% < 90, the year is over.
    assert line["inherited"] and line["latest"] == 50.0 and line["status"] == "not_achieved"
    assert client_for(w, "principal2").get("/api/scorecard/", {"unit": w.units["S1a"].pk}).status_code == 404
    assert client_for(w, "principal2").get("/api/scorecard/", {"unit": w.units["S2"].pk,
                                                               "year": "2023"}).status_code == 400
