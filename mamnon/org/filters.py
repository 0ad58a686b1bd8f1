import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mamnon.org.models import OrgLevel, OrgUnit, School, Staff


class _SearchMixin:
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        q = Q()
        for f in self.search_fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)


class OrgUnitFilter(_SearchMixin, django_filters.FilterSet):
    search_fields = ("name", "code")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    level = django_filters.ModelChoiceFilter(queryset=OrgLevel.objects.all(), label=_("Level"))
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = OrgUnit
        fields = ["q", "level", "active"]


class SchoolFilter(_SearchMixin, django_filters.FilterSet):
    search_fields = ("unit__name", "unit__code", "address")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    ownership = django_filters.ChoiceFilter(choices=School.Ownership.choices, label=_("Ownership"))
    kind = django_filters.ChoiceFilter(choices=School.Kind.choices, label=_("Kind"))

    class Meta:
        model = School
        fields = ["q", "ownership", "kind"]


class StaffFilter(_SearchMixin, django_filters.FilterSet):
    search_fields = ("full_name", "unit__name")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Staff
        fields = ["q", "active"]
