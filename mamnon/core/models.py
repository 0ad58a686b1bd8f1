"""The user account and the base every scoped model inherits."""

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

VN_MOBILE_RE = re.compile(r"^0(3|5|7|8|9)\d{8}$")


def normalize_phone(raw: str | None) -> str | None:
    """'+84 912 345 678', '84912345678' and '0912.345.678' all become '0912345678'."""
    if not raw:
        return None
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_vn_mobile(value: str) -> None:
    if value and not VN_MOBILE_RE.match(normalize_phone(value) or ""):
        raise ValidationError(
            _("%(value)s is not a Vietnamese mobile number (10 digits starting 03, 05, 07, 08 or 09)."),
            params={"value": value},
            code="invalid_phone",
        )


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see or do."""

    def for_user(self, user, action="view"):
        from mamnon.core import scoping

        return scoping.restrict(self, user, action)


class MamnonUserManager(UserManager.from_queryset(ScopedQuerySet)):
    """``User.objects.for_user(user, action)``, like every scoped model (core.scoping's user rule)."""


class User(AbstractUser):
    """A person who logs in: by username or by Vietnamese mobile number."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=15, unique=True, null=True, blank=True,
        validators=[validate_vn_mobile],
    )

    objects = MamnonUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        self.phone = normalize_phone(self.phone)

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name or self.username


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedModel(models.Model):
    """Base of every record that belongs to a unit or school.

    ``scope_path`` names the lookup that reaches the owning OrgUnit's materialised path; the role sets
    say who may view, change or manage; scoping.py applies them.
    """

    scope_path = "unit__path"
    scope_commune = None  # lookup to the commune id the record's school stands in (scoping: commune officers)
    scope_group = None  # lookup to the group id: teachers reach only their groups' records
    scope_child = None  # lookup to the child id: parents reach only their own children's records
    scope_view_roles = None  # None: every role at or above the unit
    scope_change_roles = None  # None: scoping.DEFAULT_CHANGE_ROLES
    scope_manage_roles = None  # None: scoping.DEFAULT_MANAGE_ROLES

    objects = ScopedManager()

    class Meta:
        abstract = True


class Rule(models.Model):
    """A figure of a regulation (or a local setting), with its legal basis and the dates it holds.

    Every threshold mamnon checks is a row here, never a constant in code (regulations.md: "make every
    threshold configurable data with a legal_basis and effective_from"). A row with a unit overrides the
    national row for that unit and everything below it (a province's own setting).
    """

    code = models.CharField(_("code"), max_length=60, db_index=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    label = models.CharField(_("meaning"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="rules",
        verbose_name=_("unit"), help_text=_("empty: nationwide"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from", "unit"], name="core_rule_unique"),
        ]

    def __str__(self):
        return f"{self.code} = {self.value} ({self.legal_basis})"
