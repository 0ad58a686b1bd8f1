"""The home page shows each role its units with real counts, in a fixed number of queries."""

import re


def counts(html):
    return dict(re.findall(r'data-count="(\w+)">(\d+)<', html))


def test_home_counts_for_the_district_officer(client, world, django_assert_max_num_queries):
    client.force_login(world.user("district1"))
    with django_assert_max_num_queries(12):
        html = client.get("/").content.decode()
    # D1 holds S1a and S1b, one staff member each, and the memberships at D1, C1, S1a (7), S1b (1).
    assert counts(html) == {"schools": "2", "staff": "2", "accounts": "10"}
    assert "ZZ-S2" not in html and "ZZ-D2" not in html


def test_home_query_count_does_not_grow_with_the_units(client, world, django_assert_max_num_queries):
    from mamnon.org import services

    for i in range(15):
        services.unit_create(code=f"CX{i}", name=f"ZZ-CX{i}", level=world.levels["commune"], parent=world.units["P"])
    client.force_login(world.user("province"))
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_navigation_follows_the_roles(client, world):
    client.force_login(world.user("parent1a"))
    html = client.get("/").content.decode()
    assert 'href="/portal/"' in html and 'href="/org/staff/"' not in html and 'href="/day/"' not in html
    client.force_login(world.user("kitchen1a"))
    html = client.get("/").content.decode()
    assert 'href="/day/meals/"' in html and 'href="/org/accounts/"' not in html and 'href="/portal/"' not in html
    client.force_login(world.user("principal1a"))
    html = client.get("/").content.decode()
    for url in ("/day/", "/children/groups/", "/org/accounts/", "/audit/", "/children/roster/"):
        assert f'href="{url}"' in html, url
