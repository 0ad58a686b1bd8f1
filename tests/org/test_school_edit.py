from mamnon.org.models import School


def test_principal_edits_her_school_and_the_change_is_audited(client, world):
    school = world.schools["S1a"]
    client.force_login(world.user("principal1a"))
    response = client.post(f"/org/schools/{school.pk}/edit/", {
        "address": "Số 1 đường Sao Sáng", "phone": "0225 3870 000", "email": "mn@example.edu.vn",
        "website": "https://mn.example.edu.vn", "licence_number": "12/QĐ-UBND", "licence_date": "05/09/2019",
    })
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.address == "Số 1 đường Sao Sáng" and school.licence_date.isoformat() == "2019-09-05"
    last = school.history.first()
    assert last.history_user == world.user("principal1a") and last.address == "Số 1 đường Sao Sáng"


def test_bad_email_and_date_are_field_errors(client, world):
    school = world.schools["S1a"]
    client.force_login(world.user("principal1a"))
    response = client.post(f"/org/schools/{school.pk}/edit/", {"email": "not-an-email", "licence_date": "2019/31/31"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "licence_date"}
    assert School.objects.get(pk=school.pk).email == ""


def test_teacher_parent_and_other_school_cannot_edit(client, world):
    school = world.schools["S1a"]
    for key in ("teacher1a", "parent1a", "principal2", "district2"):
        client.force_login(world.user(key))
        assert client.get(f"/org/schools/{school.pk}/edit/").status_code == 404, key
    client.force_login(world.user("district1"))
    assert client.get(f"/org/schools/{school.pk}/edit/").status_code == 200
