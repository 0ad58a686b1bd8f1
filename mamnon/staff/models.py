"""Staff records (the HR details of ``org.Staff``), professional-standard ratings, civil-servant ratings, training.

``org.Staff`` is the foundation's row of a person employed at a unit (name, position, account); this app
keeps what the staff issue adds in tables of its own, one-to-one with it, so org's tables stay as they are.
Every row carries ``school`` (a school's id is its unit's id) for scoping and for distributing by school.
Personal details (date of birth, ethnicity, party membership) are shown to the school's managers and the
offices above, and to the person herself (core.scoping's own-staff rule), not to colleagues.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.calc import staff_ratings, staff_standards
from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES

MANAGERS_AND_OFFICES = OFFICER_ROLES | SCHOOL_MANAGER_ROLES


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Employment(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant (viên chức)")
    CONTRACT = "contract", _("Labour contract")
    PRIVATE = "private", _("Employed by a non-public school")


class TitleGrade(models.TextChoices):
    # Thông tư 01/2021/TT-BGDĐT: professional titles of public preschool teachers (GVMN hạng I, II, III).
    GRADE_I = "I", _("Preschool teacher grade I")
    GRADE_II = "II", _("Preschool teacher grade II")
    GRADE_III = "III", _("Preschool teacher grade III")


class TrainingLevel(models.IntegerChoices):
    # The order is the ranking (calc.staff_standards compares levels as numbers).
    NONE = staff_standards.NONE, _("No professional training")
    INTERMEDIATE = staff_standards.INTERMEDIATE, _("Intermediate (trung cấp)")
    COLLEGE = staff_standards.COLLEGE, _("College (cao đẳng)")
    UNIVERSITY = staff_standards.UNIVERSITY, _("University (đại học)")
    MASTER = staff_standards.MASTER, _("Master (thạc sĩ)")
    DOCTOR = staff_standards.DOCTOR, _("Doctorate (tiến sĩ)")


class StaffRecord(ScopedModel):
    """The HR details of one staff member of a school."""

    staff = models.OneToOneField("org.Staff", on_delete=models.CASCADE, primary_key=True, related_name="record",
                                 verbose_name=_("staff member"))
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.FEMALE)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS, default=KINH)
    employment = models.CharField(_("employment"), max_length=15, choices=Employment.choices,
                                  default=Employment.CIVIL_SERVANT)
    hired_on = models.DateField(_("recruited on"), null=True, blank=True,
                                help_text=_("first recruited into the sector"))
    joined_on = models.DateField(_("at this school since"), null=True, blank=True)
    title_grade = models.CharField(_("professional title"), max_length=3, choices=TitleGrade.choices, blank=True)
    training_level = models.PositiveSmallIntegerField(_("training level"), choices=TrainingLevel.choices,
                                                      default=TrainingLevel.NONE)
    major = models.CharField(_("major"), max_length=120, blank=True)
    preschool_pedagogy = models.BooleanField(_("preschool pedagogy diploma"), default=False,
                                             help_text=_("the diploma is in preschool education (sư phạm mầm non)"))
    in_upgrade_training = models.BooleanField(_("in upgrading training"), default=False,
                                              help_text=_("studying now to reach the standard (Nghị định 71/2020)"))
    upgraded_under_roadmap = models.BooleanField(_("upgraded under the roadmap"), default=False,
                                                 help_text=_("reached the standard through Nghị định 71/2020 training"))
    party_member = models.BooleanField(_("party member"), default=False)
    party_joined_on = models.DateField(_("party member since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_view_roles = MANAGERS_AND_OFFICES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        indexes = [models.Index(fields=["school", "training_level"], name="staff_record_school_level_idx")]

    def __str__(self):
        return str(self.staff)


class RatingLevel(models.IntegerChoices):
    NOT_MET = staff_ratings.NOT_MET, _("Not met (chưa đạt)")
    MET = staff_ratings.MET, _("Met (đạt)")
    GOOD = staff_ratings.GOOD, _("Good (khá)")
    EXCELLENT = staff_ratings.EXCELLENT, _("Excellent (tốt)")


class StandardRating(ScopedModel):
    """A yearly rating against a professional standard: the person's self-assessment, then the decision.

    Teachers: Thông tư 26/2018/TT-BGDĐT, decided by the school's principal (Điều 10 khoản 1). Principals and
    vice-principals: Thông tư 25/2018/TT-BGDĐT, decided by the office that manages the school.
    """

    class Standard(models.TextChoices):
        TEACHER = "teacher", _("Teacher standard (TT 26/2018)")
        PRINCIPAL = "principal", _("Principal standard (TT 25/2018)")

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="standard_ratings",
                              verbose_name=_("staff member"))
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    standard = models.CharField(_("standard"), max_length=10, choices=Standard.choices)
    self_levels = models.JSONField(_("self-assessment by criterion"), default=list, blank=True)
    self_overall = models.PositiveSmallIntegerField(_("self-assessment"), choices=RatingLevel.choices, null=True,
                                                    blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    levels = models.JSONField(_("decision by criterion"), default=list, blank=True)
    overall = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_view_roles = MANAGERS_AND_OFFICES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year__start_date", "staff__full_name"]
        verbose_name = _("professional-standard rating")
        verbose_name_plural = _("professional-standard ratings")
        constraints = [models.UniqueConstraint(fields=["staff", "school_year", "standard"],
                                               name="staff_standard_rating_unique")]
        indexes = [models.Index(fields=["school", "school_year"], name="staff_rating_school_year_idx")]

    def __str__(self):
        return f"{self.staff} {self.school_year}"


class AnnualRating(ScopedModel):
    """The yearly rating of a public employee (Nghị định 90/2020/NĐ-CP, amended by Nghị định 48/2023/NĐ-CP),
    done for teachers at the end of the school year."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("Excellently completed duties")
        GOOD = "good", _("Well completed duties")
        COMPLETED = "completed", _("Completed duties")
        NOT_COMPLETED = "not_completed", _("Did not complete duties")

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="annual_ratings",
                              verbose_name=_("staff member"))
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    result = models.CharField(_("result"), max_length=15, choices=Result.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_view_roles = MANAGERS_AND_OFFICES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year__start_date", "staff__full_name"]
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        constraints = [models.UniqueConstraint(fields=["staff", "school_year"], name="staff_annual_rating_unique")]


class Training(ScopedModel):
    """A course a staff member attended (bồi dưỡng thường xuyên, STEAM, upgrading...), with its hours."""

    class Topic(models.TextChoices):
        REGULAR = "regular", _("Regular in-service training (BDTX)")
        STEAM = "steam", _("STEAM")
        CHILD_CENTRED = "child_centred", _("Child-centred education")
        NUTRITION = "nutrition", _("Nutrition and food safety")
        SAFETY = "safety", _("Safety, first aid, injury prevention")
        IT = "it", _("Information technology")
        MANAGEMENT = "management", _("Management")
        POLITICAL = "political", _("Political theory")
        OTHER = "other", _("Other")

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="trainings",
                              verbose_name=_("staff member"))
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    course = models.CharField(_("course"), max_length=200)
    topic = models.CharField(_("topic"), max_length=15, choices=Topic.choices, default=Topic.REGULAR)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    provider = models.CharField(_("organised by"), max_length=200, blank=True)
    certificate = models.BooleanField(_("certificate received"), default=False)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_view_roles = MANAGERS_AND_OFFICES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "staff__full_name"]
        verbose_name = _("training")
        verbose_name_plural = _("training")
        indexes = [models.Index(fields=["school", "end_date"], name="staff_training_school_end_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="staff_training_dates_ordered"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="staff_training_hours_positive"),
        ]
