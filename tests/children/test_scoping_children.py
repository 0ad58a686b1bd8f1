"""Teachers reach their groups' children, parents their own; sensitive support data stays at the school."""

from mamnon.children.models import Child, ChildSupport, Enrolment, Group, Guardian


def names(qs):
    return {c.full_name.removeprefix("ZZ-child-") for c in qs}


def test_children_by_role(classroom):
    w = classroom.world
    expect = {
        "principal1a": {"K1", "K2", "K3", "K4"}, "vice1a": {"K1", "K2", "K3", "K4"},
        "health1a": {"K1", "K2", "K3", "K4"}, "kitchen1a": {"K1", "K2", "K3", "K4"},
        "teacher1a": {"K1", "K2", "K3"}, "parent1a": {"K1"},
        "district1": {"K1", "K2", "K3", "K4", "K5"}, "district2": {"K6"}, "principal2": {"K6"},
        "commune1": {"K1", "K2", "K3", "K4", "K5"}, "nobody": set(),
    }
    for username, kids in expect.items():
        assert names(Child.objects.for_user(w.user(username))) == kids, username


def test_groups_enrolments_and_guardians_follow_the_children(classroom):
    w = classroom.world
    teacher, parent = w.user("teacher1a"), w.user("parent1a")
    assert set(Group.objects.for_user(teacher)) == {classroom.groups["G1"]}
    assert set(Group.objects.for_user(parent)) == {classroom.groups["G1"]}
    assert {e.child_id for e in Enrolment.objects.for_user(parent)} == {classroom.children["K1"].pk}
    assert set(Guardian.objects.for_user(parent)) == {classroom.guardians["K1"]}
    assert Guardian.objects.for_user(w.user("district1")).count() == 0  # offices: no family contacts


def test_support_data_is_for_the_school_the_teacher_and_the_parent_only(classroom):
    w = classroom.world
    for username in ("principal1a", "vice1a", "health1a", "teacher1a", "parent1a"):
        assert ChildSupport.objects.for_user(w.user(username)).count() == 1, username
    for username in ("kitchen1a", "accountant1a", "district1", "province", "principal2", "commune1"):
        assert ChildSupport.objects.for_user(w.user(username)).count() == 0, username


def test_teacher_cannot_change_a_child_she_can_see(classroom):
    w = classroom.world
    assert Child.objects.for_user(w.user("teacher1a"), "change").count() == 0
    assert Child.objects.for_user(w.user("principal1a"), "change").count() == 4
