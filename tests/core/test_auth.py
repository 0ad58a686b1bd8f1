"""Logging in through the real login page: by username or Vietnamese mobile number, with lockout."""

import axes.utils
import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from mamnon.core.models import normalize_phone, validate_vn_mobile
from tests.conftest import PASSWORD, make_user

LOGIN = "/login/"


@pytest.fixture
def teacher(db):
    axes.utils.reset()
    return make_user("co.lan", phone="0912345678")


def logged_in_as(client):
    return client.session.get(SESSION_KEY)


def test_login_url_is_slash_login():
    assert reverse("login") == LOGIN


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_login_by_username(client, teacher):
    response = client.post(LOGIN, {"username": "co.lan", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == str(teacher.pk)


def test_login_by_username_ignores_case(client, teacher):
    response = client.post(LOGIN, {"username": "Co.Lan", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(teacher.pk)


@pytest.mark.parametrize("typed", ["+84 912 345 678", "0912345678", "0912.345.678", "84912345678"])
def test_login_by_phone_in_any_common_spelling(client, teacher, typed):
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302, typed
    assert logged_in_as(client) == str(teacher.pk)


def test_login_follows_next(client, teacher):
    response = client.post(LOGIN, {"username": "co.lan", "password": PASSWORD, "next": "/audit/"})
    assert response["Location"] == "/audit/"


@pytest.mark.parametrize("username", ["co.lan", "+84 912 345 678", "no-such-user"])
def test_wrong_password_re_renders_the_form_with_an_error(client, teacher, username):
    response = client.post(LOGIN, {"username": username, "password": "not-the-password"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert str(form.non_field_errors()[0]) in response.content.decode()
    assert logged_in_as(client) is None


def test_inactive_user_cannot_log_in(client, teacher):
    get_user_model().objects.filter(pk=teacher.pk).update(is_active=False)
    response = client.post(LOGIN, {"username": "co.lan", "password": PASSWORD})
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_lockout_after_repeated_failures(client, teacher):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit - 1):
        response = client.post(LOGIN, {"username": "co.lan", "password": "wrong-password"})
        assert response.status_code == 200
    # The attempt that reaches the limit is answered with the lockout page already.
    response = client.post(LOGIN, {"username": "co.lan", "password": "wrong-password"})
    assert response.status_code in (403, 429)
    # Now even the right password is refused, and no session is opened.
    response = client.post(LOGIN, {"username": "co.lan", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert logged_in_as(client) is None
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    # An administrator's reset lifts the lock.
    axes.utils.reset(username="co.lan")
    response = client.post(LOGIN, {"username": "co.lan", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(teacher.pk)


def test_failures_below_the_limit_are_forgiven_by_a_success(client, teacher):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "co.lan", "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "co.lan", "password": PASSWORD}).status_code == 302
    client.logout()
    # AXES_RESET_ON_SUCCESS: the counter starts again from zero.
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": "co.lan", "password": "wrong-password"}).status_code == 200
    assert client.post(LOGIN, {"username": "co.lan", "password": PASSWORD}).status_code == 302


# --- phone numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 234 5678", "0912345678"),
        ("0312345678", "0312345678"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_phone(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize("phone", ["0912345678", "0987654321", "0312345678", "0356789012", "0512345678",
                                   "0712345678", "0812345678", "+84 912 345 678"])
def test_valid_mobile_numbers(phone):
    validate_vn_mobile(phone)  # does not raise


@pytest.mark.parametrize(
    "phone",
    [
        "01234567890",  # old 11-digit 01x numbers were converted in 2018
        "0123456789",  # 01x is not a mobile prefix any more
        "0212345678",  # 02x is a landline area code
        "091234567",  # 9 digits
        "09123456789",  # 11 digits
        "09123abcde",  # letters
        "phone",
        "+1 650 555 0100",
    ],
)
def test_invalid_mobile_numbers(phone):
    with pytest.raises(ValidationError) as exc:
        validate_vn_mobile(phone)
    assert exc.value.code == "invalid_phone"


def test_user_phone_is_stored_normalised(db):
    user = make_user("chi.mai", phone="+84 987 654 321")
    user.refresh_from_db()
    assert user.phone == "0987654321"
