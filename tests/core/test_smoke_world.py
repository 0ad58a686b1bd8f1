from mamnon.org.models import OrgUnit


def test_world_builds_a_tree_with_paths(world):
    s1a = world.units["S1a"]
    assert s1a.path == f"{world.units['P'].pk}/{world.units['D1'].pk}/{s1a.pk}/"
    below_d1 = set(OrgUnit.objects.filter(path__startswith=world.units["D1"].path).values_list("code", flat=True))
    assert below_d1 == {"D1", "C1", "S1a", "S1b"}
