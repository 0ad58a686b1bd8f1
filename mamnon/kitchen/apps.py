from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role

KITCHEN_LINK_ROLES = SCHOOL_MANAGER_ROLES | {Role.KITCHEN_STAFF, Role.ACCOUNTANT} | OFFICER_ROLES


class KitchenConfig(AppConfig):
    name = "mamnon.kitchen"
    label = "kitchen"
    verbose_name = _("Kitchen")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [
        ("kitchen:home", _("Kitchen"), KITCHEN_LINK_ROLES),
        ("kitchen:portal-disclosures", _("Meal money"), {Role.PARENT}),
    ]

    def ready(self):
        from mamnon.kitchen import demo, indicators  # noqa: F401  demo-data generator, MEAL_NORMS indicators
