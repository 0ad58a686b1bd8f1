"""`mamnon demo-data`: the small Hải Phòng tree with Trường Mầm non Sao Sáng, deterministic per seed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from mamnon.core import scoping
from mamnon.core.roles import Role
from mamnon.org.demo import DEMO_PASSWORD, DEMO_ROLES, SAO_SANG_CODE
from mamnon.org.models import Membership, OrgUnit, School, Site, Staff

User = get_user_model()


def load(seed=7, **options):
    call_command("demo_data", scale="small", seed=seed, verbosity=0, **options)


def snapshot():
    """Everything the seed decides, without database ids."""
    units = list(OrgUnit.objects.order_by("code").values_list("code", "name", "parent__code", "level__code"))
    schools = list(School.objects.order_by("unit__code").values_list("unit__code", "ownership", "kind",
                                                                      "commune__code"))
    sites = list(Site.objects.order_by("school__unit__code", "name").values_list("school__unit__code", "name"))
    staff = list(Staff.objects.order_by("unit__code", "position", "full_name").values_list(
        "unit__code", "position", "full_name"))
    return units, schools, sites, staff


@pytest.fixture
def demo(db, capsys):
    load()
    capsys.readouterr()  # the logins table goes to stdout


def test_sao_sang_is_there(demo):
    school = School.objects.select_related("unit__parent", "commune").get(unit__code=SAO_SANG_CODE)
    assert school.unit.name == "Trường Mầm non Sao Sáng"
    assert school.ownership == School.Ownership.PUBLIC
    assert school.unit.level.is_school
    assert school.sites.count() == 2
    assert school.sites.filter(is_main=True).count() == 1
    assert school.unit.parent.code == "PGD-ANLAO"
    assert "An Lão" in school.unit.parent.name and school.unit.parent.level.code == "district"
    assert school.commune.name == "Thị trấn An Lão"
    assert school.commune.parent_id == school.unit.parent_id  # the commune is in the same district
    assert school.unit.path.startswith(school.unit.parent.path)
    assert school.unit.versions.count() == 1  # history starts with the unit's creation
    # Seed 002: 16 groups and classes, so about 2.2 teachers per class.
    assert Staff.objects.filter(unit=school.unit, position="teacher").count() == round(16 * 2.2)


def test_the_small_tree(demo):
    city = OrgUnit.objects.get(code="SGD-HP")
    assert city.parent is None and city.level.code == "province"
    districts = set(OrgUnit.objects.filter(parent=city).values_list("code", flat=True))
    assert districts == {"PGD-ANLAO", "PGD-VINHBAO"}
    # Every unit's path is its parent's path plus its own id.
    for unit in OrgUnit.objects.select_related("parent"):
        expected = f"{unit.parent.path if unit.parent else ''}{unit.pk}/"
        assert unit.path == expected, unit.code
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)
    # Every school has a commune of its own district and at least one site.
    for school in School.objects.select_related("unit", "commune"):
        assert school.commune.parent_id == school.unit.parent_id, school.unit.code
        assert school.sites.exists()


def test_one_user_per_demo_role(demo):
    usernames = [username for username, *_rest in DEMO_ROLES]
    assert User.objects.filter(username__in=usernames).count() == len(DEMO_ROLES)
    where = {"root": None, "province": "SGD-HP", "district:ANLAO": "PGD-ANLAO", "district:VINHBAO": "PGD-VINHBAO",
             "anlao_commune": "ANLAO-C01", "sao_sang": SAO_SANG_CODE, "quang_trung": "MN-QUANGTRUNG"}
    for username, role, place, label in DEMO_ROLES:
        user = User.objects.get(username=username)
        assert user.full_name == label
        assert user.check_password(DEMO_PASSWORD), username
        memberships = list(Membership.objects.filter(user=user).values_list("role", "unit__code"))
        if role == Role.ADMIN:
            assert user.is_superuser and memberships == []
        else:
            assert not user.is_superuser
            assert memberships == [(role.value, where[place])], username
    phones = list(User.objects.filter(username__in=usernames).values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)


def test_demo_logins_see_what_their_role_allows(demo):
    sao_sang = School.objects.get(unit__code=SAO_SANG_CODE)
    principal = User.objects.get(username="ht.saosang")
    assert list(School.objects.for_user(principal)) == [sao_sang]
    assert scoping.can_view_sensitive(principal, sao_sang.pk)
    assert not scoping.can_view_sensitive(User.objects.get(username="gv.saosang"), sao_sang.pk)
    anlao = set(School.objects.for_user(User.objects.get(username="pgd.anlao")).values_list("unit__code", flat=True))
    assert SAO_SANG_CODE in anlao and "MN-QUANGTRUNG" in anlao
    vinhbao = set(School.objects.for_user(User.objects.get(username="pgd.vinhbao")).values_list("unit__code",
                                                                                                flat=True))
    assert vinhbao and not (vinhbao & anlao)
    assert School.objects.for_user(User.objects.get(username="so.haiphong")).count() == School.objects.count()
    # The principal's staff record is linked to her account.
    assert Staff.objects.get(user=principal).unit_id == sao_sang.pk


def test_second_run_without_replace_is_refused(demo):
    before = snapshot()
    with pytest.raises(CommandError):
        load()
    assert snapshot() == before


# --replace flushes (TRUNCATE), which PostgreSQL refuses inside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_replace_rebuilds_the_same_data_for_the_same_seed(demo, capsys):
    first = snapshot()
    load(replace=True)
    capsys.readouterr()
    assert snapshot() == first
    assert User.objects.filter(username="ht.saosang").count() == 1
    assert School.objects.filter(unit__code=SAO_SANG_CODE).count() == 1


# --replace flushes (TRUNCATE), which PostgreSQL refuses inside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_another_seed_gives_other_synthetic_data_but_the_same_fixed_names(demo, capsys):
    units, _schools, _sites, staff = snapshot()
    load(seed=8, replace=True)
    capsys.readouterr()
    units8, _schools8, _sites8, staff8 = snapshot()
    assert staff8 != staff  # names are drawn from the seed
    fixed = {"SGD-HP", "PGD-ANLAO", "PGD-VINHBAO", SAO_SANG_CODE, "MN-QUANGTRUNG", "ANLAO-C01"}
    assert [u for u in units if u[0] in fixed] == [u for u in units8 if u[0] in fixed]
