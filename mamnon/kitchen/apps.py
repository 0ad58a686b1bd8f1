from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitchenConfig(AppConfig):
    name = "mamnon.kitchen"
    label = "kitchen"
    verbose_name = _("Kitchen")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = []
