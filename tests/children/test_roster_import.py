"""Roster import: a valid file creates exactly its rows; every bad cell names its row and column and writes
nothing; unreadable files get a clear message; duplicates are flagged; only the school's managers import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from mamnon.children import roster
from mamnon.children.models import Child, Enrolment, Guardian
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.children.test_roster_helpers import (
    child_row,
    confirm,
    counts,
    make_xlsx,
    preview,
    token_of,
    upload,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def principal(client, classroom):
    client.force_login(classroom.world.user("principal1a"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def school(classroom, key="S1a"):
    return classroom.world.schools[key]


def kept_files(media) -> list[Path]:
    folder = media / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- a valid file ----------------------------------------------------------------------------------------


def test_valid_file_creates_exactly_its_rows(principal, classroom, media):
    g1, g2 = classroom.groups["G1"], classroom.groups["G2"]
    rows = [
        # a date typed as text, 'Nam', ethnicity by name, a phone written the international way
        child_row(g1, full_name="Nguyễn Văn An", birth_date="15/03/2018", sex="Nam", ethnicity="Tày",
                  personal_id="031218000001", guardian_phone="+84 912 345 678", guardian_relation="Mẹ"),
        # a real Excel date, 'F', ethnicity by code, a personal id in a number cell, a grandmother
        child_row(g1, full_name="Trần Thị Bình", birth_date=dt.datetime(2018, 11, 2), sex="F", ethnicity="06",
                  personal_id=131218000002, guardian_name="Trần Thị Lụa", guardian_relation="Bà",
                  guardian_phone="0987.654.321"),
        # folded ethnicity name, 'Nữ', no guardian at all, a creche group
        child_row(g2, full_name="  Lê   Thu  Hà ", birth_date="02-02-2021", sex="Nữ", ethnicity="khome",
                  guardian_name=None, guardian_relation=None, guardian_phone=None, address=None),
        # 'M', empty ethnicity (Kinh), a phone cell Excel stored as a number (leading zero lost), a father
        child_row(g1, full_name="Phạm Minh Đức", birth_date="2018-07-09", sex="M", ethnicity=None,
                  guardian_name="Phạm Văn Hùng", guardian_relation="Bố", guardian_phone=936111222),
    ]
    before = counts()
    response, token = preview(principal, make_xlsx(rows), school=school(classroom), start="10/09/2023")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.ok and plan.errors == []
    assert [r.row for r in plan.rows] == [2, 3, 4, 5]
    assert len(kept_files(media)) == 2  # the file and its token's record, until the confirmation
    assert counts() == before  # the preview writes nothing

    response = confirm(principal, token)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("children:roster-home"))
    assert kept_files(media) == []  # deleted after use
    assert counts() == tuple(n + d for n, d in zip(before, (4, 3, 4, 4, 3, 4), strict=True))

    new = Child.objects.filter(school=school(classroom)).exclude(pk__in=[c.pk for c in classroom.children.values()])
    got = {c.full_name: c for c in new}
    assert set(got) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Thu Hà", "Phạm Minh Đức"}
    expected = {
        "Nguyễn Văn An": (dt.date(2018, 3, 15), "M", "02", "031218000001", "Thị trấn An Lão", g1),
        "Trần Thị Bình": (dt.date(2018, 11, 2), "F", "06", "131218000002", "Thị trấn An Lão", g1),
        "Lê Thu Hà": (dt.date(2021, 2, 2), "F", "05", None, "", g2),
        "Phạm Minh Đức": (dt.date(2018, 7, 9), "M", "01", None, "Thị trấn An Lão", g1),
    }
    for name, (born, sex, ethnicity, pid, address, group) in expected.items():
        c = got[name]
        assert (c.birth_date, c.sex, c.ethnicity, c.personal_id, c.address, c.status) == (
            born, sex, ethnicity, pid, address, "enrolled")
        assert c.name_folded == roster.fold(name)
        enrolment = Enrolment.objects.get(child=c)
        assert (enrolment.group, enrolment.start_date, enrolment.end_date) == (group, dt.date(2023, 9, 10), None)
        assert enrolment.school == school(classroom)
    guardians = {g.child.full_name: (g.full_name, g.relation, g.phone, g.consent_at, g.is_primary)
                 for g in Guardian.objects.filter(child__in=new).select_related("child")}
    assert guardians == {
        "Nguyễn Văn An": ("Nguyễn Thị Hoa", "mother", "0912345678", None, True),
        "Trần Thị Bình": ("Trần Thị Lụa", "grandparent", "0987654321", None, True),
        "Phạm Minh Đức": ("Phạm Văn Hùng", "father", "0936111222", None, True),
    }
    # The audit: one creation row per record, by the principal, with the reason.
    principal_user = classroom.world.user("principal1a")
    for model, n in ((Child, 4), (Guardian, 3), (Enrolment, 4)):
        hist = model.history.filter(history_change_reason=roster.IMPORT_REASON)
        assert hist.count() == n
        assert set(hist.values_list("history_user_id", "history_type")) == {(principal_user.pk, "+")}
    assert set(Child.history.filter(history_change_reason=roster.IMPORT_REASON).values_list("school_id", flat=True)) \
        == {school(classroom).pk}


def test_personal_id_typed_as_a_number_without_leading_zero_is_an_error(principal, classroom):
    response, _token = preview(principal, make_xlsx([child_row(classroom.groups["G1"], personal_id=31218000002)]),
                               school=school(classroom))
    (issue,) = response.context["errors"]
    assert (issue.row, issue.column) == (2, "personal_id")
    assert "31218000002" in issue.message and "11 digits" in issue.message


def test_vice_principal_imports_too(client, classroom):
    client.force_login(classroom.world.user("vice1a"))
    response, token = preview(client, make_xlsx([child_row(classroom.groups["G1"])]), school=school(classroom))
    assert response.context["plan"].ok
    before = Child.objects.count()
    confirm(client, token)
    assert Child.objects.count() == before + 1
    assert Child.history.latest("history_date").history_user == classroom.world.user("vice1a")


def test_header_below_a_title_and_columns_in_another_order(principal, classroom):
    g1 = classroom.groups["G1"]
    headers = ["STT", "Nhóm/lớp", "Họ và tên", "Giới tính", "Ngày sinh"]
    content = make_xlsx([[1, g1.name, "Đỗ Gia Huy", "Nam", "01/01/2018"]], headers=headers,
                        preamble=[("DANH SÁCH TRẺ NĂM HỌC 2023-2024",), ()])
    response, token = preview(principal, content, school=school(classroom))
    plan = response.context["plan"]
    assert plan.ok and plan.header_row == 3 and [r.row for r in plan.rows] == [4]
    confirm(principal, token)
    child = Child.objects.get(full_name="Đỗ Gia Huy")
    assert (child.birth_date, child.ethnicity, child.guardians.count()) == (dt.date(2018, 1, 1), "01", 0)


# --- every kind of bad cell -------------------------------------------------------------------------------


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


BAD_CELLS = [
    # id, overrides of the bad row, column, words of the reason
    ("impossible date", {"birth_date": "31/02/2020"}, "birth_date", "not a real date"),
    ("future date", {"birth_date": "FUTURE"}, "birth_date", "in the future"),
    ("not a date", {"birth_date": "mùng 5 tháng 3"}, "birth_date", "not a date"),
    ("empty date", {"birth_date": None}, "birth_date", "empty"),
    ("unknown sex", {"sex": "X"}, "sex", "not a sex"),
    ("unknown ethnicity", {"ethnicity": "Martian"}, "ethnicity", "54 ethnic groups"),
    ("ethnicity code out of range", {"ethnicity": "55"}, "ethnicity", "54 ethnic groups"),
    ("11-digit personal id", {"personal_id": "01234567890"}, "personal_id", "11 digits"),
    ("letters in personal id", {"personal_id": "03121800000A"}, "personal_id", "not a personal identification"),
    ("invalid phone", {"guardian_phone": "0123456"}, "guardian_phone", "not a Vietnamese mobile number"),
    ("landline", {"guardian_phone": "02253123456"}, "guardian_phone", "not a Vietnamese mobile number"),
    ("unknown group", {"group": "ZZ-group-G9"}, "group", "no group"),
    ("another school's group", {"group": "ZZ-group-G3"}, "group", "no group"),
    ("wrong age for the group", {"birth_date": "15/01/2021"}, "group", "is a group for"),
    ("too old for any group", {"birth_date": "15/01/2015"}, "group", "past preschool age"),
    ("empty name", {"full_name": "   "}, "full_name", "empty"),
    ("name too long", {"full_name": "A" * 151}, "full_name", "longer than 150"),
    ("phone without guardian", {"guardian_name": None}, "guardian_name", "guardian's name is empty"),
    ("unknown relation", {"guardian_relation": "Hàng xóm"}, "guardian_relation", "not a relation"),
]


@pytest.mark.parametrize("case", BAD_CELLS, ids=[c[0] for c in BAD_CELLS])
def test_bad_cell_names_row_and_column_and_writes_nothing(principal, classroom, case):
    _name, overrides, column, words = case
    g1 = classroom.groups["G1"]
    if overrides.get("birth_date") == "FUTURE":
        overrides = {**overrides, "birth_date": tomorrow()}
    rows = [child_row(g1, full_name=f"Trẻ số {i}", guardian_phone=f"091234560{i}") for i in range(5)]
    rows[3] = child_row(g1, **{"full_name": "Trẻ có lỗi", "guardian_phone": "0912345699", **overrides})  # row 5
    before = counts()
    response, token = preview(principal, make_xlsx(rows), school=school(classroom))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert not plan.ok
    assert [(i.row, i.column) for i in plan.errors] == [(5, column)]
    message = plan.errors[0].message
    assert message.startswith(f"Row 5, column {roster.LABEL[column]}: ")
    assert words in message
    html = response.content.decode()
    assert "Row 5, column " in html and 'name="token"' not in html  # shown, and no confirm button
    # Even a hand-made confirmation of this upload imports nothing.
    response = confirm(principal, token)
    assert response.status_code == 200 and "Nothing was imported" in response.content.decode()
    assert counts() == before


def test_duplicate_personal_id_inside_the_file(principal, classroom):
    g1 = classroom.groups["G1"]
    rows = [child_row(g1, full_name="Một", personal_id="031218000111"),
            child_row(g1, full_name="Hai", personal_id="031218000222"),
            child_row(g1, full_name="Ba", personal_id="031218000111")]
    before = counts()
    response, token = preview(principal, make_xlsx(rows), school=school(classroom))
    errors = response.context["errors"]
    assert [(i.row, i.column) for i in errors] == [(4, "personal_id")]
    assert "also in row 2" in errors[0].message
    confirm(principal, token)
    assert counts() == before


def test_duplicate_personal_id_against_any_school(principal, classroom):
    other = classroom.children["K6"]  # at S2, outside the principal's scope
    Child.objects.filter(pk=other.pk).update(personal_id="031218000999")
    rows = [child_row(classroom.groups["G1"], full_name="Mới", personal_id="031218000999")]
    before = counts()
    response, token = preview(principal, make_xlsx(rows), school=school(classroom))
    (issue,) = response.context["errors"]
    assert (issue.row, issue.column) == (2, "personal_id")
    assert "already recorded for another child" in issue.message
    assert other.full_name not in response.content.decode()  # which child holds it is not said
    confirm(principal, token)
    assert counts() == before


def test_many_errors_are_all_listed_in_row_order(principal, classroom):
    g1 = classroom.groups["G1"]
    rows = [child_row(g1, sex="?"), child_row(g1, full_name="Tốt"), child_row(g1, birth_date="32/01/2018", group="?")]
    response, _token = preview(principal, make_xlsx(rows), school=school(classroom))
    assert [(i.row, i.column) for i in response.context["errors"]] == [(2, "sex"), (4, "birth_date"), (4, "group")]


# --- files that are not rosters ---------------------------------------------------------------------------


def _upload_error(client, classroom, content: bytes, name="roster.xlsx") -> str:
    before = counts()
    response = upload(client, content, school=school(classroom), name=name)
    assert response.status_code == 200
    assert counts() == before
    errors = response.context["form"].errors
    with translation.override("en"):  # Django's own messages are lazy: read them in English
        return " ".join(str(e) for e in errors.get("file", []) + errors.get("__all__", []))


def test_not_an_xlsx(principal, classroom, media):
    text = "Họ và tên,Ngày sinh\nAn,01/01/2018\n".encode()
    assert "not an Excel workbook" in _upload_error(principal, classroom, text, name="roster.csv")
    assert "not an Excel workbook" in _upload_error(principal, classroom, b"PK\x03\x04 not really a zip")
    assert "not an Excel workbook" in _upload_error(principal, classroom, b"\xd0\xcf\x11\xe0 old .xls")
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "a zip, but no workbook")
    assert "not an Excel workbook" in _upload_error(principal, classroom, buf.getvalue())
    assert kept_files(media) == []


def test_empty_files(principal, classroom):
    assert "empty" in _upload_error(principal, classroom, b"")
    assert "sheet is empty" in _upload_error(principal, classroom, make_xlsx([], headers=[]))


def test_missing_headers(principal, classroom):
    g1 = classroom.groups["G1"]
    headers = ["Họ và tên", "Giới tính", "Nhóm/lớp"]
    message = _upload_error(principal, classroom, make_xlsx([["An", "Nam", g1.name]], headers=headers))
    assert "Required column(s) missing" in message and "Ngày sinh" in message
    message = _upload_error(principal, classroom, make_xlsx([["a", "b"]], headers=["Cột 1", "Cột 2"]))
    assert "No header row" in message


def test_header_without_rows(principal, classroom):
    response, _token = preview(principal, make_xlsx([]), school=school(classroom))
    assert response.status_code == 200
    assert response.context["plan"].file_errors == ["The sheet has a header row but no children below it."]
    assert "no children below it" in response.content.decode()


def test_too_large_upload(principal, classroom, monkeypatch):
    monkeypatch.setattr(roster, "MAX_UPLOAD_BYTES", 1000)
    content = make_xlsx([child_row(classroom.groups["G1"])] * 50)
    assert "larger than" in _upload_error(principal, classroom, content)


def test_admission_date_outside_the_year(principal, classroom):
    response = upload(principal, make_xlsx([child_row(classroom.groups["G1"])]), school=school(classroom),
                      start="01/09/2024")
    assert response.status_code == 200 and "start_date" in response.context["form"].errors


# --- duplicates: warnings -----------------------------------------------------------------------------


def test_likely_duplicates_are_flagged_but_importable(principal, classroom):
    g1 = classroom.groups["G1"]
    k1, k1_guardian = classroom.children["K1"], classroom.guardians["K1"]
    rows = [
        child_row(g1, full_name="Vũ Ngọc Anh", birth_date="01/06/2018", guardian_phone="0911222333"),
        child_row(g1, full_name="VU NGOC ANH", birth_date="01/06/2018", guardian_phone="+84911222333"),  # row 2
        child_row(g1, full_name="Vũ Ngọc Anh", birth_date="01/06/2018", guardian_phone="0911222444"),  # other phone
        # K1 as recorded: same folded name, date of birth and guardian phone
        child_row(g1, full_name=k1.full_name.lower(), birth_date=k1.birth_date, guardian_phone=k1_guardian.phone),
    ]
    response, token = preview(principal, make_xlsx(rows), school=school(classroom))
    plan = response.context["plan"]
    assert plan.ok
    assert [(w.row, w.column) for w in plan.warnings] == [(3, None), (5, None)]
    assert "as row 2" in plan.warnings[0].message
    assert "already recorded at this school" in plan.warnings[1].message
    before = Child.objects.count()
    confirm(principal, token)
    assert Child.objects.count() == before + 4


def test_class_size_above_the_charter_is_a_warning(principal, classroom):
    from mamnon.core.default_rules import load_default_rules
    from mamnon.core.models import Rule

    load_default_rules(Rule)
    g2 = classroom.groups["G2"]  # 25-36 months: at most 25 (TT 52/2020 Điều 15), K4 already there
    rows = [child_row(g2, full_name=f"Bé {i}", guardian_phone=f"09120000{i:02d}") for i in range(25)]
    response, _token = preview(principal, make_xlsx(rows), school=school(classroom))
    plan = response.context["plan"]
    assert plan.ok
    assert len(plan.notes) == 1 and "26" in plan.notes[0] and "25" in plan.notes[0] and "52/2020" in plan.notes[0]


# --- all or nothing, one pass of queries ----------------------------------------------------------------


def test_failure_during_the_writes_leaves_nothing(principal, classroom, monkeypatch):
    """The transaction: children and guardians already inserted are rolled back when the enrolments fail."""
    real = roster._insert

    def failing(model, columns, rows, **kw):
        if model is Enrolment:
            raise IntegrityError("simulated: the last insert fails")
        return real(model, columns, rows, **kw)

    monkeypatch.setattr(roster, "_insert", failing)
    g1 = classroom.groups["G1"]
    _response, token = preview(principal, make_xlsx([child_row(g1), child_row(g1, full_name="B")]),
                               school=school(classroom))
    before = counts()
    response = confirm(principal, token)
    assert response.status_code == 302
    assert counts() == before


def test_validation_does_not_query_per_row(classroom, django_assert_num_queries, tmp_path):
    g1 = classroom.groups["G1"]
    s1a = classroom.world.schools["S1a"]
    small = tmp_path / "small.xlsx"
    big = tmp_path / "big.xlsx"
    small.write_bytes(make_xlsx([child_row(g1, full_name=f"A{i}", personal_id=f"0312180000{i:02d}")
                                 for i in range(3)]))
    big.write_bytes(make_xlsx([child_row(g1, full_name=f"A{i}", personal_id=f"0312180001{i:02d}")
                               for i in range(60)]))
    s1a = type(s1a).objects.select_related("unit").get(pk=s1a.pk)
    with translation.override("en"):
        with django_assert_num_queries(6) as small_ctx:
            assert roster.build_plan(small, school=s1a).ok
        with django_assert_num_queries(6):
            plan = roster.build_plan(big, school=s1a)
    assert plan.ok and len(plan.rows) == 60
    assert len(small_ctx.captured_queries) == 6


def test_a_used_token_cannot_import_twice(principal, classroom):
    _response, token = preview(principal, make_xlsx([child_row(classroom.groups["G1"])]), school=school(classroom))
    before = Child.objects.count()
    confirm(principal, token)
    response = confirm(principal, token)
    assert response.status_code == 302 and response["Location"] == reverse("children:roster-import")
    assert Child.objects.count() == before + 1


# --- who may import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher1a", "parent1a", "health1a", "district1", "nobody"])
def test_only_the_schools_managers_import(client, classroom, who):
    client.force_login(classroom.world.user(who))
    g1 = classroom.groups["G1"]
    before = counts()
    assert client.get(reverse("children:roster-import")).status_code == 403
    assert client.get(reverse("children:roster-template"), {"school": school(classroom).pk}).status_code == 403
    response = upload(client, make_xlsx([child_row(g1)]), school=school(classroom))
    assert response.status_code == 403
    assert counts() == before


def test_a_token_is_bound_to_its_user(client, classroom, media):
    w = classroom.world
    client.force_login(w.user("principal1a"))
    _response, token = preview(client, make_xlsx([child_row(classroom.groups["G1"])]), school=school(classroom))
    before = counts()
    for other in ("vice1a", "principal2", "teacher1a"):
        client.force_login(w.user(other))
        response = client.get(reverse("children:roster-preview"), {"token": token})
        assert response.status_code in (302, 403), other
        response = confirm(client, token)
        assert response.status_code in (302, 403), other
    assert counts() == before
    assert len(kept_files(media)) == 2  # still waiting for its own user
    client.force_login(w.user("principal1a"))
    confirm(client, token)
    assert counts()[0] == before[0] + 1


def test_cannot_import_into_another_school(client, classroom):
    client.force_login(classroom.world.user("principal1b"))
    response = upload(client, make_xlsx([child_row(classroom.groups["G1"])]), school=school(classroom))
    assert response.status_code == 200 and "school" in response.context["form"].errors


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "x" * 40, "a/b" * 20])
def test_bad_tokens_are_refused(principal, classroom, token):
    response = principal.get(reverse("children:roster-preview"), {"token": token})
    assert response.status_code == 302
    assert confirm(principal, token).status_code == 302


def test_import_page_renders(principal, classroom):
    response = principal.get(reverse("children:roster-import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày sinh (dd/mm/yyyy)" in html and 'type="file"' in html
    assert token_of  # (helper imported for the other tests)


def test_preview_page_query_count_does_not_grow_with_rows(principal, classroom, django_assert_num_queries):
    g1 = classroom.groups["G1"]
    counted = []
    for n in (2, 40):
        rows = [child_row(g1, full_name=f"Bé {n}-{i}", personal_id=f"03121{n:02d}{i:05d}") for i in range(n)]
        token = token_of(upload(principal, make_xlsx(rows), school=school(classroom)))
        with django_assert_num_queries(11) as ctx:
            response = principal.get(reverse("children:roster-preview"), {"token": token})
        assert response.status_code == 200 and len(response.context["plan"].rows) == n
        counted.append(ctx.captured_queries)
    assert len(counted[0]) == len(counted[1])


def test_roster_page_query_count(principal, classroom, django_assert_num_queries):
    from mamnon.children.models import Group

    with django_assert_num_queries(7):
        response = principal.get(reverse("children:roster-home"))
    assert response.status_code == 200
    for i in range(5):
        Group.objects.create(school=school(classroom), school_year=classroom.year, name=f"Lớp {i}", age_band="k4")
    with django_assert_num_queries(7):
        response = principal.get(reverse("children:roster-home"))
    assert len(response.context["groups"]) == 7
