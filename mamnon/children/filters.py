"""Filters of the group and children lists (django-filter); choice lists restricted to the user's scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from mamnon.children.models import AgeBand, Child, ChildStatus, Group
from mamnon.core import scoping
from mamnon.org.models import School, SchoolYear


def _schools(request):
    if request is None:
        return School.objects.none()
    return scoping.restrict(School.objects.select_related("unit"), request.user).order_by("unit__name")


def _groups(request):
    """The current year's groups in scope (the choice list stays short for an office)."""
    from mamnon.children.selectors import current_school_year

    if request is None:
        return Group.objects.none()
    return scoping.restrict(Group.objects.filter(active=True, school_year=current_school_year()),
                            request.user).order_by("name")


class GroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=_schools)
    age_band = django_filters.ChoiceFilter(label=_("Age band"), choices=AgeBand.choices)

    class Meta:
        model = Group
        fields = ["q", "school", "age_band"]


class ChildFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=_schools)
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=_groups, method="filter_group")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ChildStatus.choices)

    class Meta:
        model = Child
        fields = ["school", "group", "status"]

    def filter_group(self, queryset, name, value):
        return queryset.filter(enrolments__group=value, enrolments__end_date__isnull=True)


def year_from(request) -> SchoolYear | None:
    """The school year chosen with ?year=<code>, else the current one."""
    from mamnon.children.selectors import current_school_year

    code = request.GET.get("year")
    if code:
        year = SchoolYear.objects.filter(code=code).first()
        if year is not None:
            return year
    return current_school_year()
