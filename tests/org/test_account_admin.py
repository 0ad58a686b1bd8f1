from mamnon.core.models import User
from mamnon.org.models import Membership


def test_principal_suspends_and_restores_a_teacher(client, world):
    teacher = world.user("teacher1a")
    membership = Membership.objects.get(user=teacher)
    client.force_login(world.user("principal1a"))
    assert client.post(f"/org/accounts/{membership.pk}/toggle/").status_code == 302
    membership.refresh_from_db()
    assert membership.active is False
    client.force_login(teacher)
    assert client.get(f"/org/schools/{world.schools['S1a'].pk}/").status_code == 404  # suspended: no scope
    client.force_login(world.user("principal1a"))
    client.post(f"/org/accounts/{membership.pk}/toggle/")
    membership.refresh_from_db()
    assert membership.active is True


def test_principal_cannot_suspend_herself_a_principal_or_another_school(client, world):
    client.force_login(world.user("principal1a"))
    own = Membership.objects.get(user=world.user("principal1a"))
    other = Membership.objects.get(user=world.user("principal2"))
    client.post(f"/org/accounts/{own.pk}/toggle/")
    assert client.post(f"/org/accounts/{other.pk}/toggle/").status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.active and other.active


def test_principal_sets_a_new_password_for_a_teacher(client, world):
    teacher = world.user("teacher1a")
    client.force_login(world.user("principal1a"))
    response = client.post(f"/org/accounts/users/{teacher.pk}/password/",
                           {"new_password1": "Hoa-sen-2024!", "new_password2": "Hoa-sen-2024!"})
    assert response.status_code == 302
    assert User.objects.get(pk=teacher.pk).check_password("Hoa-sen-2024!")


def test_weak_or_mismatched_password_is_refused(client, world):
    teacher = world.user("teacher1a")
    client.force_login(world.user("principal1a"))
    response = client.post(f"/org/accounts/users/{teacher.pk}/password/",
                           {"new_password1": "123", "new_password2": "124"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.get(pk=teacher.pk).check_password("123")


def test_password_of_an_account_outside_the_scope_is_404(client, world):
    client.force_login(world.user("principal1a"))
    assert client.get(f"/org/accounts/users/{world.user('principal2').pk}/password/").status_code == 404
    client.force_login(world.user("teacher1a"))
    assert client.get(f"/org/accounts/users/{world.user('parent1a').pk}/password/").status_code == 404


def test_district_officer_resets_a_principal_but_not_a_teacher(client, world):
    client.force_login(world.user("district1"))
    data = {"new_password1": "Hoa-sen-2024!", "new_password2": "Hoa-sen-2024!"}
    client.post(f"/org/accounts/users/{world.user('principal1a').pk}/password/", data)
    client.post(f"/org/accounts/users/{world.user('teacher1a').pk}/password/", data)
    assert User.objects.get(username="principal1a").check_password("Hoa-sen-2024!")
    assert not User.objects.get(username="teacher1a").check_password("Hoa-sen-2024!")
