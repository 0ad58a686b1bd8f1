"""API of the kitchen, scoped like the pages (core.api.ScopedViewSetMixin).

* ``/api/kitchen/foods/``: the catalogue the caller reads (the nationwide table and their units' own foods);
* ``/api/kitchen/dishes/``: dishes with their ingredients;
* ``/api/kitchen/menus/`` and ``/api/kitchen/menus/<id>/analysis/``: weekly menus and the nutrient analysis of
  each day against the norms (energy, P/L/G in grams and % of energy, animal shares, Ca, Fe, vitamins, cost);
* ``/api/kitchen/market-list/?school=<id>&date=YYYY-MM-DD``: kilograms to buy per food, by supplier;
* ``/api/kitchen/disclosures/``: daily meal-finance disclosures (parents: the published ones of their school).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamnon.core import scoping
from mamnon.core.api import ScopedReadOnlyViewSet
from mamnon.core.roles import OFFICER_ROLES, Role
from mamnon.kitchen import selectors
from mamnon.kitchen.models import KITCHEN_ROLES, Disclosure, Dish, DishIngredient, Food, Menu, MenuItem
from mamnon.org.models import School


class FoodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Food
        fields = ["id", "unit", "code", "name", "group", "animal", "dry", "inedible_pct", "energy_kcal", "protein_g",
                  "lipid_g", "glucid_g", "fibre_g", "calcium_mg", "iron_mg", "retinol_ug", "beta_carotene_ug",
                  "vitamin_b1_mg", "vitamin_c_mg", "source"]
        read_only_fields = fields


class IngredientSerializer(serializers.ModelSerializer):
    class Meta:
        model = DishIngredient
        fields = ["food", "band", "grams", "min_grams", "max_grams"]


class DishSerializer(serializers.ModelSerializer):
    ingredients = IngredientSerializer(many=True, read_only=True)

    class Meta:
        model = Dish
        fields = ["id", "unit", "name", "liquid", "ingredients"]
        read_only_fields = fields


class MenuItemSerializer(serializers.ModelSerializer):
    dish_name = serializers.CharField(source="dish.name", read_only=True)

    class Meta:
        model = MenuItem
        fields = ["weekday", "meal", "dish", "dish_name"]


class MenuSerializer(serializers.ModelSerializer):
    items = MenuItemSerializer(many=True, read_only=True)

    class Meta:
        model = Menu
        fields = ["id", "school", "band", "week_start", "published_at", "items"]
        read_only_fields = fields


class DisclosureSerializer(serializers.ModelSerializer):
    difference = serializers.DecimalField(max_digits=14, decimal_places=0, read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "school", "date", "children", "food_money", "received", "spent", "difference", "menu_text",
                  "photo", "published_at"]
        read_only_fields = fields


_DAY = inline_serializer("MenuDayAnalysis", {
    "date": serializers.DateField(), "band": serializers.CharField(),
    "totals": serializers.DictField(child=serializers.FloatField()),
    "energy_pct": serializers.DictField(child=serializers.FloatField()),
    "animal_protein_pct": serializers.FloatField(), "animal_lipid_pct": serializers.FloatField(),
    "cost": serializers.IntegerField(), "food_money": serializers.IntegerField(allow_null=True),
    "checks": serializers.DictField(child=serializers.BooleanField()), "passed": serializers.BooleanField(),
    "meals": inline_serializer("MenuDayMeal", {
        "meal": serializers.CharField(), "energy": serializers.FloatField(), "pct_of_day": serializers.FloatField(),
        "norm_pct": serializers.ListField(child=serializers.FloatField(), allow_null=True),
        "ok": serializers.BooleanField(allow_null=True)}, many=True),
    "meal_warnings": serializers.ListField(child=serializers.CharField()),
}, many=True)
_MARKET = inline_serializer("MarketList", {
    "school": serializers.IntegerField(), "date": serializers.DateField(), "forecast": serializers.BooleanField(),
    "children": serializers.DictField(child=serializers.IntegerField()),
    "lines": inline_serializer("MarketLine", {
        "food": serializers.IntegerField(), "name": serializers.CharField(), "supplier": serializers.CharField(),
        "net_kg": serializers.FloatField(), "buy_kg": serializers.FloatField(),
        "price_per_kg": serializers.IntegerField(), "cost": serializers.IntegerField(),
        "inedible_unknown": serializers.BooleanField(
            help_text="the catalogue has no inedible share for the food: buy_kg is the net weight")}, many=True),
    "total": serializers.IntegerField(),
})


class FoodViewSet(ScopedReadOnlyViewSet):
    queryset = Food.objects.all()
    serializer_class = FoodSerializer
    filterset_fields = ["code", "group", "animal"]


class DishViewSet(ScopedReadOnlyViewSet):
    queryset = Dish.objects.prefetch_related("ingredients")
    serializer_class = DishSerializer


def _parent_only(user) -> bool:
    return not scoping.is_admin(user) and not (scoping.roles_of(user) - {Role.PARENT})


class MenuViewSet(ScopedReadOnlyViewSet):
    queryset = Menu.objects.prefetch_related("items__dish")
    serializer_class = MenuSerializer
    filterset_fields = ["school", "band", "week_start"]

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.filter(published_at__isnull=False) if _parent_only(self.request.user) else qs

    @extend_schema(responses={200: _DAY})
    @action(detail=True, methods=["get"])
    def analysis(self, request, *args, **kwargs):
        menu = self.get_object()
        return Response([{
            "date": d.day, "band": d.band, "totals": d.totals,
            "energy_pct": dict(zip(("protein", "lipid", "glucid"), d.shares, strict=True)),
            "animal_protein_pct": d.animal_protein_pct, "animal_lipid_pct": d.animal_lipid_pct, "cost": int(d.cost),
            "food_money": int(d.budget) if d.budget is not None else None, "checks": d.checks, "passed": d.passed,
            "meals": [{"meal": m.meal, "energy": m.energy, "pct_of_day": m.pct,
                       "norm_pct": list(m.norm) if m.norm else None, "ok": m.ok} for m in d.meals],
            "meal_warnings": [m.meal for m in d.meal_warnings],
        } for d in selectors.analyse_menu(menu)])


class DisclosureViewSet(ScopedReadOnlyViewSet):
    queryset = Disclosure.objects.all()
    serializer_class = DisclosureSerializer
    filterset_fields = ["school", "date"]

    def get_queryset(self):
        qs = super().get_queryset()
        if _parent_only(self.request.user):
            qs = qs.filter(published_at__isnull=False)  # parents: only what was published to them
        return qs


class _MarketQuery(serializers.Serializer):
    school = serializers.IntegerField(min_value=1)
    date = serializers.DateField()


class MarketListViewSet(viewsets.ViewSet):
    """The market list (phiếu kê chợ) of a school for a day."""

    @extend_schema(parameters=[OpenApiParameter("school", OpenApiTypes.INT), OpenApiParameter("date",
                                                                                              OpenApiTypes.DATE)],
                   responses={200: _MARKET})
    def list(self, request, *args, **kwargs):
        query = _MarketQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        school = scoping.restrict_to_roles(School.objects.select_related("unit"), request.user,
                                           KITCHEN_ROLES | OFFICER_ROLES, "unit__path").filter(
            pk=query.validated_data["school"]).first()
        if school is None:
            raise NotFound
        ml = selectors.market_list(school=school, day=query.validated_data["date"])
        return Response({"school": school.pk, "date": ml.day, "forecast": ml.forecast, "children": ml.counts,
                         "lines": [{"food": x.food_id, "name": x.food, "supplier": x.supplier, "net_kg": x.net_kg,
                                    "buy_kg": x.buy_kg, "price_per_kg": int(x.price_per_kg), "cost": int(x.cost),
                                    "inedible_unknown": x.inedible_unknown}
                                   for x in ml.lines], "total": int(ml.total)})


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("kitchen/foods", FoodViewSet, basename="kitchen-food")
    router.register("kitchen/dishes", DishViewSet, basename="kitchen-dish")
    router.register("kitchen/menus", MenuViewSet, basename="kitchen-menu")
    router.register("kitchen/disclosures", DisclosureViewSet, basename="kitchen-disclosure")
    router.register("kitchen/market-list", MarketListViewSet, basename="kitchen-market-list")
