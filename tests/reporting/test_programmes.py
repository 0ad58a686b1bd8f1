"""Programmes: criteria, registration by a deadline, evidence uploads (type, size, content), scoring, the library."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mamnon.reporting import programmes as svc
from mamnon.reporting import uploads
from mamnon.reporting.models import Evidence, Initiative, Programme, Registration, Score

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("virus.exe", "MZ")
    return buf.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def client_for(world, key):
    c = Client()
    c.force_login(world.user(key))
    return c


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- defining a programme ---------------------------------------------------------------------------------


def test_programme_with_criteria_all_or_nothing(classroom, world):
    kwargs = {"actor": world.user("district1"), "unit": world.units["D1"], "school_year": classroom.year,
              "registration_deadline": dt.date(2023, 10, 30)}
    with pytest.raises(ValidationError) as exc:
        svc.programme_create(name="P", criteria=[{"name": "A", "max_score": "10"}, {"name": "A", "max_score": "x"},
                                                 {"name": "", "max_score": "0", "weight": "-1"}], **kwargs)
    text = " ".join(exc.value.messages)
    assert "Tiêu chí 2" in text and "Tiêu chí 3" in text and "nhập một số" in text
    assert not Programme.objects.exists()
    with pytest.raises(PermissionDenied):
        svc.programme_create(name="P", criteria=[{"name": "A", "max_score": "10"}],
                             **{**kwargs, "actor": world.user("principal1a")})
    with pytest.raises(PermissionDenied):  # a school runs no programme
        svc.programme_create(name="P", criteria=[{"name": "A", "max_score": "10"}],
                             **{**kwargs, "actor": world.user("principal1a"), "unit": world.units["S1a"]})
    p = svc.programme_create(name="P", criteria=[{"name": "A", "max_score": "10", "weight": "1,5"}], **kwargs)
    assert p.criteria.get().weight == Decimal("1.5")


def test_programme_page_creates_and_lists(classroom, world):
    c = client_for(world, "district1")
    url = reverse("reporting:programme-list")
    bad = c.post(url, {"name": "Mô hình điểm STEAM", "kind": "model_site", "school_year": classroom.year.pk,
                       "registration_deadline": "30/10/2023", "criteria": "STEAM"})
    assert bad.status_code == 200 and "Dòng 1" in bad.content.decode() and not Programme.objects.exists()
    bad = c.post(url, {"name": "Mô hình điểm STEAM", "kind": "model_site", "school_year": classroom.year.pk,
                       "registration_deadline": "30/10/2023", "criteria": "STEAM; mười"})
    assert "Tiêu chí 1, điểm tối đa: hãy nhập một số" in bad.content.decode() and not Programme.objects.exists()
    bad = c.post(url, {"name": "Mô hình điểm STEAM", "kind": "model_site", "school_year": classroom.year.pk,
                       "registration_deadline": "30/10/2023", "criteria": "STEAM; 10; 2\nSTEAM; 5"})
    assert "được liệt kê hai lần" in bad.content.decode() and not Programme.objects.exists()
    ok = c.post(url, {"name": "Mô hình điểm STEAM", "kind": "model_site", "school_year": classroom.year.pk,
                      "registration_deadline": "30/10/2023", "criteria": "STEAM; 10; 2\nGóc sách; 5"})
    p = Programme.objects.get()
    assert ok.status_code == 302 and p.unit == world.units["D1"]
    assert [(x.name, x.max_score, x.weight) for x in p.criteria.all()] == [("STEAM", 10, 2), ("Góc sách", 5, 1)]
    # The schools of D1 see it; those of D2 do not; teachers and parents see no programme pages.
    assert "Mô hình điểm STEAM" in client_for(world, "principal1a").get(url).content.decode()
    assert "Mô hình điểm STEAM" not in client_for(world, "principal2").get(url).content.decode()
    assert client_for(world, "principal2").get(reverse("reporting:programme-detail", args=[p.pk])).status_code == 404
    for key in ("teacher1a", "parent1a"):
        assert client_for(world, key).get(url).status_code == 404


# --- registration ---------------------------------------------------------------------------------------


def test_registration_by_the_deadline(programme, world):
    s1a, s2 = world.units["S1a"], world.units["S2"]
    principal = world.user("principal1a")
    late = dt.date(2023, 10, 31)
    with pytest.raises(ValidationError) as exc:
        svc.registration_create(actor=principal, programme=programme, unit=s1a, title="Góc STEAM", today=late)
    assert "Đã hết hạn đăng ký ngày 30/10/2023" in " ".join(exc.value.messages)
    assert not Registration.objects.exists()
    r = svc.registration_create(actor=principal, programme=programme, unit=s1a, title="Góc STEAM",
                                today=dt.date(2023, 10, 30))
    assert r.registered_by == principal
    with pytest.raises(ValidationError, match="đã đăng ký"):
        svc.registration_create(actor=principal, programme=programme, unit=s1a, title="x",
                                today=dt.date(2023, 10, 1))
    with pytest.raises(PermissionDenied):  # S2 is not below D1
        svc.registration_create(actor=world.user("principal2"), programme=programme, unit=s2, title="x",
                                today=dt.date(2023, 10, 1))
    with pytest.raises(PermissionDenied):  # a teacher does not register her school
        svc.registration_create(actor=world.user("teacher1a"), programme=programme, unit=world.units["S1b"],
                                title="x", today=dt.date(2023, 10, 1))


def test_registration_page_refuses_after_the_deadline(programme, world, monkeypatch):
    from django.utils import timezone

    c = client_for(world, "principal1a")
    url = reverse("reporting:programme-detail", args=[programme.pk])
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2023, 11, 2))
    body = c.post(url, {"unit": world.units["S1a"].pk, "title": "Góc STEAM"}).content.decode()
    assert "Đã hết hạn đăng ký ngày 30/10/2023" in body and not Registration.objects.exists()
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2023, 10, 2))
    response = c.post(url, {"unit": world.units["S1a"].pk, "title": "Góc STEAM", "contact": "Cô Lan"})
    reg = Registration.objects.get()
    assert response.status_code == 302 and reg.unit == world.units["S1a"] and reg.contact == "Cô Lan"
    # The other school's principal cannot register S1a (not in her choices).
    c2 = client_for(world, "principal1b")
    assert "S1a" not in c2.get(url).content.decode().split("Đăng ký")[-1]
    assert c2.post(url, {"unit": world.units["S1a"].pk, "title": "x"}).status_code == 200
    assert Registration.objects.count() == 1


# --- evidence -------------------------------------------------------------------------------------------


@pytest.fixture
def registrations(programme, world):
    day = dt.date(2023, 10, 1)
    return {key: svc.registration_create(actor=world.user(f"principal{key[1:]}"), programme=programme,
                                         unit=world.units[key], title=f"Mô hình {key}", today=day)
            for key in ("S1a", "S1b")}


def test_sniffing_checks_extension_and_content(settings):
    assert uploads.check(upload("anh.JPG", JPEG)).kind == "photo"
    assert uploads.check(upload("clip.mp4", MP4)).content_type == "video/mp4"
    assert uploads.check(upload("bao-cao.docx", docx_bytes())).kind == "document"
    assert uploads.check(upload("bao-cao.pdf", PDF)).content_type == "application/pdf"
    for name, content, words in [
        ("virus.exe", b"MZ" + b"\x00" * 100, "không được nhận"),
        ("anh.jpg", b"<html><script>alert(1)</script></html>", "không phải là tệp .jpg"),
        ("anh.png", JPEG, "không phải là tệp .png"),  # a JPEG renamed .png
        ("bao-cao.docx", plain_zip(), "không phải là tệp .docx"),  # any zip is not a .docx
        ("bao-cao.xlsx", docx_bytes(), "không phải là tệp .xlsx"),
        ("rong.pdf", b"", "rỗng"),
        ("khong-duoi", PDF, "không được nhận"),
    ]:
        with pytest.raises(ValidationError) as exc:
            uploads.check(upload(name, content))
        assert words in " ".join(exc.value.messages), (name, exc.value.messages)
    settings.MAMNON_UPLOADS = {**settings.MAMNON_UPLOADS, "photo": {"extensions": ["png"], "max_bytes": 100}}
    with pytest.raises(ValidationError) as exc:
        uploads.check(upload("anh.png", PNG))
    assert exc.value.messages[0] == "“anh.png” quá lớn: 216 byte; ảnh tối đa 100 byte."
    assert uploads.clean_name("../../etc/passwd") == "passwd"
    assert uploads.clean_name("C:\\Users\\a\\ảnh\u0000 lớp.jpg") == "ảnh lớp.jpg"


def test_evidence_all_or_nothing_and_stored_on_disk(registrations, world, settings):
    reg = registrations["S1a"]
    principal = world.user("principal1a")
    with pytest.raises(ValidationError) as exc:
        svc.evidence_add(actor=principal, registration=reg,
                         files=[upload("anh.png", PNG), upload("gia.jpg", b"not a jpeg at all")])
    assert "gia.jpg" in " ".join(exc.value.messages)
    assert not Evidence.objects.exists() and media_files(settings) == []
    made = svc.evidence_add(actor=principal, registration=reg, caption="Hoạt động STEAM",
                            files=[upload("anh lớp.png", PNG), upload("kế hoạch.pdf", PDF)])
    assert [e.kind for e in made] == ["photo", "document"]
    files = media_files(settings)
    folder = Path(settings.MEDIA_ROOT) / "reporting" / "evidence"
    assert len(files) == 2 and all(f.is_relative_to(folder) for f in files)
    assert sorted(f.read_bytes() for f in files) == sorted([PNG, PDF])
    assert not any("kế hoạch" in f.name for f in files)  # stored under a random name
    with pytest.raises(PermissionDenied):
        svc.evidence_add(actor=world.user("principal1b"), registration=reg, files=[upload("a.png", PNG)])
    with pytest.raises(PermissionDenied):
        svc.evidence_add(actor=world.user("teacher1a"), registration=reg, files=[upload("a.png", PNG)])


def test_storage_failure_leaves_nothing(registrations, world, settings, monkeypatch):
    """A failure while storing the second file removes the first one's file and row."""
    reg = registrations["S1a"]
    calls = {"n": 0}
    original = Evidence.save

    def flaky_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", flaky_save)
    with pytest.raises(OSError):
        svc.evidence_add(actor=world.user("principal1a"), registration=reg,
                         files=[upload("a.png", PNG), upload("b.png", PNG)])
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_evidence_served_only_through_the_scoped_view(registrations, world, settings):
    (e,) = svc.evidence_add(actor=world.user("principal1a"), registration=registrations["S1a"],
                            files=[upload("ảnh.png", PNG)])
    url = reverse("reporting:evidence-file", args=[e.pk])
    response = client_for(world, "principal1a").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world, "district1").get(url).status_code == 200  # the office that scores
    assert client_for(world, "province").get(url).status_code == 200
    for key in ("principal1b", "principal2", "district2", "teacher1a", "parent1a"):
        assert client_for(world, key).get(url).status_code == 404, key
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    # No public URL: the media folder is not served.
    assert Client().get("/media/" + e.file.name).status_code == 404
    assert client_for(world, "principal1a").get("/media/" + e.file.name).status_code == 404


def test_upload_and_remove_through_the_page(registrations, world, settings, django_capture_on_commit_callbacks):
    reg = registrations["S1a"]
    c = client_for(world, "principal1a")
    url = reverse("reporting:registration-evidence", args=[reg.pk])
    response = c.post(url, {"files": [upload("a.png", PNG), upload("b.exe", b"MZ")]}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "b.exe" in body and "Không lưu tệp nào" in body
    assert not Evidence.objects.exists()
    c.post(url, {"files": [upload("a.png", PNG), upload("c.mp4", MP4)], "caption": "Ngày hội"})
    assert Evidence.objects.filter(registration=reg).count() == 2
    page = c.get(reverse("reporting:registration-detail", args=[reg.pk])).content.decode()
    assert "a.png" in page and "c.mp4" in page
    other = client_for(world, "principal1b")
    assert other.get(reverse("reporting:registration-detail", args=[reg.pk])).status_code == 404
    assert other.post(url, {"files": [upload("x.png", PNG)]}).status_code == 404
    e = Evidence.objects.first()
    assert other.post(reverse("reporting:evidence-delete", args=[e.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's deletion commits
        c.post(reverse("reporting:evidence-delete", args=[e.pk]))
    assert Evidence.objects.count() == 1 and len(media_files(settings)) == 1


# --- scores ---------------------------------------------------------------------------------------------


def test_scores_bounded_weighted_and_all_or_nothing(programme, registrations, world):
    a, b = programme.criteria.all()
    officer = world.user("district1")
    reg = registrations["S1a"]
    with pytest.raises(ValidationError) as exc:
        svc.scores_set(actor=officer, registration=reg, scores={a.pk: "8", b.pk: "6"})
    assert "6 vượt quá điểm tối đa 5" in " ".join(exc.value.messages) and not Score.objects.exists()
    with pytest.raises(ValidationError):
        svc.scores_set(actor=officer, registration=reg, scores={a.pk: "-1"})
    with pytest.raises(ValidationError):
        svc.scores_set(actor=officer, registration=reg, scores={a.pk: "abc"})
    for key in ("principal1a", "district2", "commune1"):
        with pytest.raises(PermissionDenied):
            svc.scores_set(actor=world.user(key), registration=reg, scores={a.pk: "8"})
    svc.scores_set(actor=officer, registration=reg, scores={a.pk: "8,5", b.pk: "4"})
    svc.scores_set(actor=world.user("province"), registration=registrations["S1b"], scores={a.pk: "10"})
    totals = {r.unit_id: (r.total, r.scored) for r in svc.with_totals(Registration.objects.all())}
    # 8.5 × 2 + 4 × 1 = 21 of 10 × 2 + 5 × 1 = 25 (84%); S1b: 10 × 2 = 20 with one criterion scored.
    assert totals[world.units["S1a"].pk] == (Decimal("21"), 2)
    assert totals[world.units["S1b"].pk] == (Decimal("20"), 1)
    assert svc.programme_maximum(programme) == Decimal("25")
    assert svc.percent(Decimal("21"), Decimal("25")) == Decimal("84.0")
    svc.scores_set(actor=officer, registration=reg, scores={b.pk: ""})  # unscored again
    assert Score.objects.filter(registration=reg).count() == 1


def test_scores_page(programme, registrations, world):
    a, b = programme.criteria.all()
    reg = registrations["S1a"]
    url = reverse("reporting:registration-scores", args=[reg.pk])
    c = client_for(world, "district1")
    body = c.post(url, {f"score_{a.pk}": "11", f"score_{b.pk}": "3"}).content.decode()
    assert "11 vượt quá điểm tối đa 10" in body and not Score.objects.exists()
    assert c.post(url, {f"score_{a.pk}": "9", f"score_{b.pk}": "3"}).status_code == 302
    detail = client_for(world, "principal1a").get(reverse("reporting:registration-detail", args=[reg.pk]))
    assert "21 / 25" in detail.content.decode()  # 9 × 2 + 3: the school sees its own scores
    assert client_for(world, "principal1a").post(url, {f"score_{a.pk}": "10"}).status_code == 404
    listing = client_for(world, "principal1a").get(reverse("reporting:programme-detail", args=[programme.pk]))
    assert "Mô hình S1a" in listing.content.decode() and "Mô hình S1b" not in listing.content.decode()
    office = client_for(world, "district1").get(reverse("reporting:programme-detail", args=[programme.pk]))
    assert "Mô hình S1a" in office.content.decode() and "Mô hình S1b" in office.content.decode()


# --- initiatives and the library ------------------------------------------------------------------------


def test_library_is_read_below_the_office_only(classroom, programme, world, settings):
    s1a_idea = svc.initiative_submit(actor=world.user("principal1a"), unit=world.units["S1a"],
                                     title="ZZ-idea Góc đọc sách cùng cha mẹ", summary="Mượn sách về nhà",
                                     authors="Cô Hoa", programme=programme, file=upload("sang-kien.docx", docx_bytes()))
    s2_idea = svc.initiative_submit(actor=world.user("principal2"), unit=world.units["S2"],
                                    title="ZZ-idea-S2 Vườn rau của bé", summary="Trồng rau")
    with pytest.raises(ValidationError):
        svc.initiative_submit(actor=world.user("principal1a"), unit=world.units["S1a"], title="x", summary="y",
                              file=upload("anh.png", PNG))  # initiatives take documents
    with pytest.raises(PermissionDenied):
        svc.initiative_select(actor=world.user("district2"), initiative=s1a_idea, library_unit=world.units["D1"])
    with pytest.raises(PermissionDenied):  # an office selects into its own library only
        svc.initiative_select(actor=world.user("district1"), initiative=s1a_idea, library_unit=world.units["P"])
    svc.initiative_select(actor=world.user("district1"), initiative=s1a_idea, library_unit=world.units["D1"])
    svc.initiative_select(actor=world.user("district2"), initiative=s2_idea, library_unit=world.units["D2"])
    url = reverse("reporting:library")

    def titles(key, **params):
        return client_for(world, key).get(url, params).content.decode()

    for key in ("principal1a", "principal1b", "teacher1a", "district1"):
        body = titles(key)
        assert "ZZ-idea Góc đọc sách" in body and "ZZ-idea-S2" not in body, key
    for key in ("principal2", "district2"):
        body = titles(key)
        assert "ZZ-idea Góc đọc sách" not in body and "ZZ-idea-S2" in body, key
    assert client_for(world, "parent1a").get(url).status_code == 404
    assert "ZZ-idea Góc" in titles("principal1b", q="đọc sách") and "ZZ-idea Góc" not in titles("principal1b", q="rau")
    file_url = reverse("reporting:initiative-file", args=[s1a_idea.pk])
    assert client_for(world, "teacher1a").get(file_url).status_code == 200  # learning material for teachers
    assert client_for(world, "principal2").get(file_url).status_code == 404
    # Taken out of the library: S1b no longer reads it.
    svc.initiative_select(actor=world.user("district1"), initiative=s1a_idea, library_unit=None)
    assert "ZZ-idea Góc" not in titles("principal1b")
    assert client_for(world, "principal1b").get(file_url).status_code == 404
    assert Initiative.objects.get(pk=s1a_idea.pk).library_unit is None


def test_initiative_page(programme, world):
    c = client_for(world, "principal1a")
    url = reverse("reporting:initiative-list")
    bad = c.post(url, {"unit": world.units["S1a"].pk, "title": "Bé vui", "summary": "…",
                       "file": upload("x.pdf", b"not a pdf")})
    assert "không phải là tệp .pdf" in bad.content.decode() and not Initiative.objects.exists()
    c.post(url, {"unit": world.units["S1a"].pk, "title": "Bé vui", "summary": "Trò chơi dân gian",
                 "file": upload("x.pdf", PDF)})
    idea = Initiative.objects.get()
    office = client_for(world, "district1")
    assert "Bé vui" in office.get(url).content.decode()
    assert "Bé vui" not in client_for(world, "principal2").get(url).content.decode()
    office.post(reverse("reporting:initiative-select", args=[idea.pk]), {"library": world.units["D1"].pk})
    assert Initiative.objects.get().library_unit == world.units["D1"]
    assert client_for(world, "district2").post(reverse("reporting:initiative-select", args=[idea.pk]),
                                               {"library": world.units["D2"].pk}).status_code == 404
