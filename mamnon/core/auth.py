"""Log in by username or by Vietnamese mobile number; API tokens read with their user and grants at once."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.utils.translation import gettext
from rest_framework import authentication as drf_authentication
from rest_framework import exceptions as drf_exceptions

from mamnon.core.models import VN_MOBILE_RE, normalize_phone


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        phone = normalize_phone(username)
        user = None
        if phone and VN_MOBILE_RE.match(phone):
            user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same cost as a real check, so timing does not reveal users
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class TokenAuthentication(drf_authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's grants in ONE raw query.

    The same rule as DRF's (unknown key: "Invalid token."; inactive user: "User inactive or deleted.").
    Nothing is cached between requests: a deleted token, a deactivated account or a removed membership
    takes effect on the next request. The grants read here are the ones ``scoping.grants`` would load
    (active memberships, ordered as Membership's Meta), primed on the user so the request's scoping needs
    no second query. The API's busiest call, a teacher saving her register, spent a third of its Python
    time compiling the two ORM queries this replaces (bench/attendance_load.py).
    """

    def authenticate_credentials(self, key):
        from rest_framework.authtoken.models import Token

        from mamnon.core.scoping import Grant
        from mamnon.org.models import Membership, OrgLevel, OrgUnit

        User = get_user_model()
        fields = User._meta.concrete_fields
        qn = connection.ops.quote_name
        sql = _token_sql(qn, fields, Token, User, Membership, OrgUnit, OrgLevel)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            found = cursor.fetchall()
        if not found:
            raise drf_exceptions.AuthenticationFailed(_drf_message("Invalid token."))
        n = len(fields)
        first = found[0]
        user = User.from_db(connection.alias, [f.attname for f in fields],
                            [_from_db(f, v) for f, v in zip(fields, first[:n], strict=True)])
        if not user.is_active:
            raise drf_exceptions.AuthenticationFailed(_drf_message("User inactive or deleted."))
        user._mamnon_grants = tuple(Grant(row[n + 2], row[n + 3], row[n + 4], bool(row[n + 5]), row[n + 6])
                                    for row in found if row[n + 2] is not None)
        token = Token(key=key, user_id=user.pk, created=_from_db(Token._meta.get_field("created"), first[n + 1]))
        token.user = user
        return user, token


def _from_db(field, value):
    """A raw column's value as the ORM would give it (e.g. SQLite's datetimes and booleans)."""
    col, converters = _converters(connection.alias, field)
    for convert in converters:
        value = convert(value, col, connection)
    return value


@functools.cache  # by alias: the backends' converters keep no per-connection state
def _converters(alias, field):
    from django.db import connections

    conn = connections[alias]
    col = field.get_col(field.model._meta.db_table)
    return col, tuple(conn.ops.get_db_converters(col) + col.get_db_converters(conn))


# DRF's own messages, translated by DRF's catalogue as DRF does (a name makemessages does not extract, so
# they stay out of mamnon's catalogues).
_drf_message = gettext


@functools.cache
def _token_sql(qn, fields, Token, User, Membership, OrgUnit, OrgLevel) -> str:
    t, u, m, ou, lv = (qn(x._meta.db_table) for x in (Token, User, Membership, OrgUnit, OrgLevel))
    cols = ", ".join(f"u.{qn(f.column)}" for f in fields)
    # the memberships joined to their unit and level first, then LEFT JOINed: a user without any
    # membership still authenticates (one row, NULL grant columns)
    return (
        f"SELECT {cols}, t.key, t.created, gm.role, gm.unit_id, gm.path, gm.is_school, gm.rank "
        f"FROM {t} t JOIN {u} u ON u.id = t.user_id "
        f"LEFT JOIN (SELECT m.user_id, m.role, m.unit_id, ou.path, lv.is_school, lv.rank "
        f"           FROM {m} m JOIN {ou} ou ON ou.id = m.unit_id JOIN {lv} lv ON lv.id = ou.level_id "
        f"           WHERE m.active) gm ON gm.user_id = u.id "
        f"WHERE t.key = %s ORDER BY gm.unit_id, gm.role"
    )
