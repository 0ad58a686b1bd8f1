"""Fees: fee tables per school and school year, support policies, monthly statements, payments.

Money is whole đồng: ``DecimalField(decimal_places=0)``, never a float (mamnon.calc.fees does the arithmetic).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.calc import fees as calc
from mamnon.core import clock
from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role

# Who keeps the school's money: the accountant and the school's managers (officers only read).
FEE_WRITERS = frozenset({Role.ACCOUNTANT}) | SCHOOL_MANAGER_ROLES
STATEMENT_READERS = FEE_WRITERS | OFFICER_ROLES | {Role.PARENT}


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=0, **kwargs)


class Policy(models.TextChoices):
    EATEN = calc.EATEN, _("Days actually eaten x daily rate")
    REFUND = calc.REFUND, _("School days x daily rate, less absences notified before the cut-off")


class FeeTable(ScopedModel):
    """A school's fees for one school year: the daily meal fee (food + fuel), the meal policy, the account."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="fee_tables",
                               verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    food_per_day = money_field(_("food money per day (đ)"))
    fuel_per_day = money_field(_("fuel money per day (đ)"), default=0)
    policy = models.CharField(_("meal money policy"), max_length=10, choices=Policy.choices, default=Policy.EATEN)
    refund_whole_rate = models.BooleanField(
        _("refund the whole daily rate"), default=False,
        help_text=_("Refund policy only: otherwise only the food part is refunded for a notified absence."))
    bank_bin = models.CharField(_("bank BIN (6 digits)"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_change_roles = FEE_WRITERS
    scope_manage_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_id", "-school_year__start_date"]
        verbose_name = _("fee table")
        verbose_name_plural = _("fee tables")
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="fees_table_unique")]

    def __str__(self):
        return f"{self.school_id} {self.school_year_id}"

    @property
    def daily_rate(self):
        return self.food_per_day + self.fuel_per_day

    def as_calc(self, fees=None) -> calc.FeeTable:
        fees = self.fees.all() if fees is None else fees
        return calc.FeeTable(
            food_per_day=int(self.food_per_day), fuel_per_day=int(self.fuel_per_day), policy=self.policy,
            refund_whole_rate=self.refund_whole_rate,
            monthly_fees=tuple((f.name, int(f.amount)) for f in fees),
        )


class MonthlyFee(ScopedModel):
    """Another monthly service fee of the table (e.g. semi-boarding care, clean water)."""

    table = models.ForeignKey(FeeTable, on_delete=models.CASCADE, related_name="fees")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    amount = money_field(_("amount per month (đ)"))

    scope_path = "school__unit__path"
    scope_change_roles = FEE_WRITERS
    scope_manage_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["table_id", "id"]
        verbose_name = _("monthly fee")
        verbose_name_plural = _("monthly fees")

    def __str__(self):
        return self.name


class SupportPolicy(models.Model):
    """A support a child may be entitled to, with its legal basis: national (no unit) or a province's own.

    Eligibility: the child's ``ChildSupport`` has one of the flags the policy lists (kindergarten children
    only when ``kindergarten_only``). Reference data like ``core.Rule``: everyone reads it, administrators
    change it (admin site), provinces add their resolutions as rows under their unit.
    """

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"), help_text=_("empty: national"))
    amount_per_month = money_field(_("amount per month (đ)"))
    max_months_per_year = models.PositiveSmallIntegerField(_("at most months per school year"), default=9)
    kindergarten_only = models.BooleanField(_("kindergarten children only"), default=True)
    for_poor = models.BooleanField(_("poor household"), default=False)
    for_near_poor = models.BooleanField(_("near-poor household"), default=False)
    for_ethnic_minority_disadvantaged = models.BooleanField(_("ethnic minority in a disadvantaged area"),
                                                            default=False)
    for_orphan = models.BooleanField(_("orphan"), default=False)
    for_disability = models.BooleanField(_("disability, inclusive education"), default=False)
    for_war_merit = models.BooleanField(
        _("child of a martyr, war invalid or sick soldier"), default=False,
        help_text=_("from the child's support eligibility records (SupportEligibility)"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "effective_from"]
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="fees_support_unique")]

    def __str__(self):
        return self.name


class SupportEligibility(ScopedModel):
    """A child's entitlement that the children's record does not carry: the fees side keeps it, with the paper
    that proves it and the period it covers (a support policy reads it in the months it covers).

    Situation ``war_merit``: the child of a martyr, of a hero of the people's armed forces, of a war invalid or
    of a person treated as one, or of a sick soldier (con liệt sĩ, con Anh hùng LLVT nhân dân, con thương binh,
    con người hưởng chính sách như thương binh, con bệnh binh), Nghị định 105/2020/NĐ-CP Điều 7 khoản 1.
    """

    class Situation(models.TextChoices):
        WAR_MERIT = "war_merit", _("Child of a martyr, war invalid or sick soldier")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="support_eligibility",
                              verbose_name=_("child"))
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    evidence = models.CharField(_("proof (certificate or decision, number and date)"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = FEE_WRITERS | OFFICER_ROLES | {Role.PARENT}
    scope_change_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-valid_from"]
        verbose_name = _("support eligibility")
        verbose_name_plural = _("support eligibility")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="fees_eligibility_period"),
        ]

    def __str__(self):
        return f"{self.child} – {self.get_situation_display()}"


class Statement(ScopedModel):
    """A child's monthly statement (thông báo thu): meal money, fees, support, previous balance.

    The figures are kept as computed when it was issued; ``paid`` is the sum of its payments (kept by the
    payment service). When the next month's statement carries its outstanding amount over, ``carried_into``
    points to it and payments go there.
    """

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="fee_statements",
                              verbose_name=_("child"))
    table = models.ForeignKey(FeeTable, on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(_("month"), help_text="first day of the month")
    reference = models.CharField(_("payment reference"), max_length=25, unique=True)
    policy = models.CharField(_("meal money policy"), max_length=10, choices=Policy.choices)
    daily_rate = money_field(_("daily meal rate"))
    billable_days = models.PositiveSmallIntegerField(_("school days"))
    days_eaten = models.PositiveSmallIntegerField(_("days charged"))
    days_refunded = models.PositiveSmallIntegerField(_("days refunded"), default=0)
    meal_amount = money_field(_("meal money"))
    fees_amount = money_field(_("monthly fees"))
    support_amount = money_field(_("support"))
    previous_balance = money_field(_("previous balance"))
    total = money_field(_("total due"))
    paid = money_field(_("paid"), default=0)
    carried_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = STATEMENT_READERS
    scope_change_roles = FEE_WRITERS
    scope_manage_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "child__name_folded"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [models.UniqueConstraint(fields=["child", "month"], name="fees_statement_child_month")]
        indexes = [models.Index(fields=["school", "month"], name="fees_statement_school_month")]

    def __str__(self):
        return self.reference

    @property
    def outstanding(self):
        return self.total - self.paid

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.total

    @property
    def status(self) -> str:
        if self.carried_into_id:
            return "carried"
        if self.is_paid:
            return "paid"
        return "partial" if self.paid > 0 else "unpaid"


class StatementLine(ScopedModel):
    """One line of a statement (meal days, a refund, a fee, a support, the previous balance)."""

    class Kind(models.TextChoices):
        MEAL = calc.MEAL, _("Meal money")
        REFUND = calc.REFUND_LINE, _("Refund")
        FEE = calc.FEE, _("Fee")
        SUPPORT = calc.SUPPORT, _("Support")
        BALANCE = calc.BALANCE, _("Previous balance")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=200)
    quantity = models.IntegerField(default=1)
    unit_amount = money_field(_("unit amount"))
    amount = money_field(_("amount"))
    support_code = models.CharField(max_length=40, blank=True)

    scope_path = "school__unit__path"
    scope_child = "statement__child_id"
    scope_view_roles = STATEMENT_READERS
    scope_change_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement_id", "id"]


class BankImport(ScopedModel):
    """One bank statement file imported: which payments it created."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True,
                              help_text="SHA-256 of the rows read (bank_import.rows_key): one import per statement")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)

    scope_path = "school__unit__path"
    scope_view_roles = FEE_WRITERS | OFFICER_ROLES
    scope_change_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["school", "sha256"], condition=~models.Q(sha256=""),
                                               name="fees_bankimport_file_once")]


class Payment(ScopedModel):
    """Money received for a statement: cash at the school, or a bank transfer (typed or imported)."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payments",
                                  verbose_name=_("statement"))
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    amount = money_field(_("amount (đ)"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    paid_on = models.DateField(_("date paid"))
    bank_ref = models.CharField(_("bank transaction number"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    bank_import = models.ForeignKey(BankImport, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="payments")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = STATEMENT_READERS
    scope_change_roles = FEE_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["school", "bank_ref"], condition=~models.Q(bank_ref=""),
                                    name="fees_payment_bank_ref_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fees_payment_positive"),
        ]
