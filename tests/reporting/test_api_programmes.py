"""API of the calendar and of programmes, per role: a school never sees another school's registration, evidence,
scores or initiatives; bad input is a 400 in Vietnamese and stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from mamnon.reporting import programmes as svc
from mamnon.reporting.models import Duty, Evidence, Initiative, Programme, Registration, Score
from tests.reporting.test_programmes import PDF, PNG, docx_bytes, media_files

pytestmark = pytest.mark.django_db


def api(world, key):
    c = APIClient()
    c.force_authenticate(world.user(key))
    return c


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def filled(programme, world):
    """S1a and S1b registered in D1's programme, each with a photo; S1a scored; one S1a initiative in D1's library."""
    day = dt.date(2023, 10, 1)
    regs = {key: svc.registration_create(actor=world.user(f"principal{key[1:]}"), programme=programme,
                                         unit=world.units[key], title=f"Mô hình {key}", today=day)
            for key in ("S1a", "S1b")}
    ev = {key: svc.evidence_add(actor=world.user(f"principal{key[1:]}"), registration=r,
                                files=[SimpleUploadedFile(f"{key}.png", PNG)])[0] for key, r in regs.items()}
    a, b = programme.criteria.all()
    svc.scores_set(actor=world.user("district1"), registration=regs["S1a"], scores={a.pk: "7", b.pk: "5"})
    idea = svc.initiative_submit(actor=world.user("principal1a"), unit=world.units["S1a"], title="Sáng kiến S1a",
                                 summary="…")
    svc.initiative_select(actor=world.user("district1"), initiative=idea, library_unit=world.units["D1"])
    other = svc.initiative_submit(actor=world.user("principal1b"), unit=world.units["S1b"], title="Sáng kiến S1b",
                                  summary="…")
    return {"regs": regs, "evidence": ev, "idea": idea, "other_idea": other}


def test_registrations_evidence_and_scores_per_role(filled, world, programme):
    regs, ev = filled["regs"], filled["evidence"]
    s1a, s1b = regs["S1a"].pk, regs["S1b"].pk
    assert ids(api(world, "principal1a").get("/api/programme-registrations/")) == {s1a}
    assert ids(api(world, "principal1b").get("/api/programme-registrations/")) == {s1b}
    assert ids(api(world, "district1").get("/api/programme-registrations/")) == {s1a, s1b}
    assert ids(api(world, "province").get("/api/programme-registrations/")) == {s1a, s1b}
    for key in ("principal2", "district2", "teacher1a", "parent1a", "commune1"):
        assert ids(api(world, key).get("/api/programme-registrations/")) == set(), key
    assert api(world, "principal1b").get(f"/api/programme-registrations/{s1a}/").status_code == 404
    detail = api(world, "principal1a").get(f"/api/programme-registrations/{s1a}/").json()
    assert detail["total"] == 19.0 and detail["scored"] == 2  # 7 × 2 + 5 × 1
    assert {s["criterion_name"] for s in detail["scores"]} == {"Ứng dụng phương pháp GDMN tiên tiến",
                                                               "Chuyển đổi số trong GDMN"}
    assert ids(api(world, "principal1b").get("/api/programme-scores/")) == set()
    assert len(ids(api(world, "principal1a").get("/api/programme-scores/"))) == 2
    # Evidence: the school's own, the office's all; the download only through the API's scoped action.
    assert ids(api(world, "principal1a").get("/api/evidence/")) == {ev["S1a"].pk}
    assert ids(api(world, "district1").get("/api/evidence/")) == {ev["S1a"].pk, ev["S1b"].pk}
    assert ids(api(world, "principal2").get("/api/evidence/")) == set()
    ok = api(world, "principal1a").get(f"/api/evidence/{ev['S1a'].pk}/download/")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PNG
    for key in ("principal1b", "principal2", "district2", "teacher1a"):
        assert api(world, key).get(f"/api/evidence/{ev['S1a'].pk}/download/").status_code == 404, key
    assert APIClient().get(f"/api/evidence/{ev['S1a'].pk}/download/").status_code in (401, 403)
    # Programmes: the D1 schools see D1's programme, S2 does not.
    assert ids(api(world, "principal1a").get("/api/programmes/")) == {programme.pk}
    assert ids(api(world, "principal2").get("/api/programmes/")) == set()


def test_register_upload_and_score_through_the_api(programme, world, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2023, 10, 2))
    c = api(world, "principal1a")
    made = c.post("/api/programme-registrations/", {"programme": programme.pk, "unit": world.units["S1a"].pk,
                                                    "title": "Góc STEAM"}, format="json")
    assert made.status_code == 201, made.content
    reg = made.json()["id"]
    # Another school cannot register S1a, nor in a programme it does not see.
    other = api(world, "principal2").post("/api/programme-registrations/", {
        "programme": programme.pk, "unit": world.units["S2"].pk, "title": "x"}, format="json")
    assert other.status_code == 400 and "programme" in other.json()
    up = c.post("/api/evidence/", {"registration": reg, "caption": "Ngày hội",
                                   "files": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.pdf", PDF)]},
                format="multipart")
    assert up.status_code == 201 and [e["kind"] for e in up.json()] == ["photo", "document"]
    assert api(world, "principal1b").post("/api/evidence/", {
        "registration": reg, "files": [SimpleUploadedFile("c.png", PNG)]}, format="multipart").status_code == 404
    a, b = programme.criteria.all()
    over = api(world, "district1").post(f"/api/programme-registrations/{reg}/scores/",
                                        {"scores": {str(a.pk): "12", str(b.pk): "4"}}, format="json")
    assert over.status_code == 400 and "vượt quá điểm tối đa 10" in over.json()[f"criterion_{a.pk}"][0]
    assert not Score.objects.exists()
    assert api(world, "principal1a").post(f"/api/programme-registrations/{reg}/scores/",
                                          {"scores": {str(a.pk): "5"}}, format="json").status_code == 404
    done = api(world, "district1").post(f"/api/programme-registrations/{reg}/scores/",
                                        {"scores": {str(a.pk): "9.5", str(b.pk): "4"}}, format="json")
    assert done.status_code == 200 and done.json()["total"] == 23.0
    # The deadline passed: a clear refusal.
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2023, 11, 1))
    late = api(world, "principal1b").post("/api/programme-registrations/", {
        "programme": programme.pk, "unit": world.units["S1b"].pk, "title": "Muộn"}, format="json")
    assert late.status_code == 400 and "Đã hết hạn đăng ký ngày 30/10/2023" in late.json()["programme"][0]
    assert Registration.objects.count() == 1


def test_bad_files_through_the_api_store_nothing(filled, world, settings):
    reg = filled["regs"]["S1a"].pk
    before = (Evidence.objects.count(), len(media_files(settings)))
    settings.MAMNON_UPLOADS = {**settings.MAMNON_UPLOADS,
                               "document": {**settings.MAMNON_UPLOADS["document"], "max_bytes": 50}}
    bad = api(world, "principal1a").post("/api/evidence/", {"registration": reg, "files": [
        SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("big.pdf", PDF), SimpleUploadedFile("x.svg", b"<svg/>"),
        SimpleUploadedFile("fake.docx", b"PK\x03\x04junk")]}, format="multipart")
    assert bad.status_code == 400
    errors = " ".join(bad.json()["files"])
    assert "“big.pdf” quá lớn" in errors and "“x.svg”: loại tệp này không được nhận" in errors
    assert "“fake.docx”: nội dung không phải là tệp .docx" in errors and "ok.png" not in errors
    assert (Evidence.objects.count(), len(media_files(settings))) == before
    none = api(world, "principal1a").post("/api/evidence/", {"registration": reg}, format="multipart")
    assert none.status_code == 400 and "Hãy chọn ít nhất một tệp" in none.json()["files"][0]


def test_initiatives_and_library_per_role(filled, world):
    idea, other = filled["idea"].pk, filled["other_idea"].pk
    assert ids(api(world, "principal1a").get("/api/initiatives/")) == {idea}
    assert ids(api(world, "principal1b").get("/api/initiatives/")) == {other}
    assert ids(api(world, "district1").get("/api/initiatives/")) == {idea, other}
    for key in ("principal1a", "principal1b", "teacher1a", "district1"):
        assert ids(api(world, key).get("/api/library/")) == {idea}, key
    for key in ("principal2", "district2", "parent1a"):
        assert ids(api(world, key).get("/api/library/")) == set(), key
    assert ids(api(world, "principal1b").get("/api/library/", {"q": "S1a"})) == {idea}
    assert ids(api(world, "principal1b").get("/api/library/", {"q": "không có"})) == set()
    put = api(world, "district1").post(f"/api/initiatives/{other}/library/", {"library_unit": world.units["D1"].pk},
                                       format="json")
    assert put.status_code == 200 and put.json()["library_unit"] == world.units["D1"].pk
    assert api(world, "district2").post(f"/api/initiatives/{other}/library/",
                                        {"library_unit": world.units["D2"].pk}, format="json").status_code == 404
    assert api(world, "principal1b").post(f"/api/initiatives/{other}/library/", {"library_unit": None},
                                          format="json").status_code == 404  # schools do not choose
    made = api(world, "principal2").post("/api/initiatives/", {
        "unit": world.units["S2"].pk, "title": "Vườn rau", "summary": "Trẻ trồng rau",
        "file": SimpleUploadedFile("sk.docx", docx_bytes())}, format="multipart")
    assert made.status_code == 201 and made.json()["has_file"] is True
    assert api(world, "principal2").post("/api/initiatives/", {
        "unit": world.units["S1a"].pk, "title": "x", "summary": "y"}, format="json").status_code == 404
    assert Initiative.objects.filter(unit=world.units["S1a"]).count() == 1


def test_programme_and_duty_creation_through_the_api(classroom, world):
    body = {"unit": world.units["D1"].pk, "school_year": "2023-2024", "name": "Mô hình điểm STEAM",
            "registration_deadline": "2023-10-30", "target_level": "school",
            "criteria": [{"name": "STEAM", "max_score": 10, "weight": 2}, {"name": "Góc sách", "max_score": 5}]}
    assert api(world, "principal1a").post("/api/programmes/", body, format="json").status_code == 400  # no office
    bad = api(world, "district1").post("/api/programmes/", {**body, "criteria": []}, format="json")
    assert bad.status_code == 400 and not Programme.objects.exists()
    made = api(world, "district1").post("/api/programmes/", body, format="json")
    assert made.status_code == 201 and made.json()["maximum"] == 25.0
    duty = api(world, "principal1a").post("/api/duties/", {"unit": world.units["S1a"].pk, "title": "Nộp kế hoạch",
                                                           "due_date": "2023-10-15"}, format="json")
    assert duty.status_code == 201 and duty.json()["month"] == "2023-10-01"
    assert api(world, "principal2").post("/api/duties/", {"unit": world.units["S1a"].pk, "title": "x",
                                                          "due_date": "2023-10-15"}, format="json").status_code == 404
    assert api(world, "teacher1a").post("/api/duties/", {"unit": world.units["S1a"].pk, "title": "x",
                                                         "due_date": "2023-10-15"}, format="json").status_code == 404
    assert api(world, "principal1a").post("/api/duties/", {"unit": world.units["S1a"].pk, "title": "x"},
                                          format="json").status_code == 400
    assert Duty.objects.count() == 1
    schema = APIClient().get("/api/schema/")
    text = schema.content.decode()
    for path in ("/api/programmes/", "/api/programme-registrations/{id}/scores/", "/api/evidence/",
                 "/api/evidence/{id}/download/", "/api/initiatives/{id}/library/", "/api/library/", "/api/duties/"):
        assert path in text, path


_junk = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**6, 10**6),
                  st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.lists(st.integers(), max_size=2))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_junk, unit=_junk, name=_junk, content=st.binary(max_size=300), score=_junk)
def test_fuzzed_registration_upload_and_score_never_fail(programme, world, title, unit, name, content, score):
    """Any input gives a 2xx or a 4xx (never a 500) and never a partial write (text such as "Infinity" or "1e999"
    is among the inputs; the client cannot send a float infinity as JSON)."""
    c = api(world, "principal1a")
    n_regs = Registration.objects.count()
    r = c.post("/api/programme-registrations/", {"programme": programme.pk, "unit": unit, "title": title},
               format="json")
    assert r.status_code < 500
    assert Registration.objects.count() in (n_regs, n_regs + 1)
    reg = Registration.objects.filter(programme=programme, unit=world.units["S1a"]).first()
    if reg is None:
        return
    n_ev = Evidence.objects.count()
    fname = name if isinstance(name, str) and name.strip() else "tep"
    up = c.post("/api/evidence/", {"registration": reg.pk, "files": [SimpleUploadedFile(fname[:80], content)]},
                format="multipart")
    assert up.status_code < 500
    assert Evidence.objects.count() == n_ev + (1 if up.status_code == 201 else 0)
    a, _b = programme.criteria.all()
    n_sc = list(Score.objects.values_list("score", flat=True))
    for text in ("Infinity", "NaN", "1e999", "-0", "10.001"):
        bad = api(world, "district1").post(f"/api/programme-registrations/{reg.pk}/scores/",
                                           {"scores": {str(a.pk): text}}, format="json")
        assert bad.status_code == (200 if text == "-0" else 400), (text, bad.content)
    s = api(world, "district1").post(f"/api/programme-registrations/{reg.pk}/scores/",
                                     {"scores": {str(a.pk): score}},
                                     format="json")
    assert s.status_code < 500
    if s.status_code == 400:
        assert list(Score.objects.values_list("score", flat=True)) == n_sc
