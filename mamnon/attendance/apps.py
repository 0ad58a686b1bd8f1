from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "mamnon.attendance"
    label = "attendance"
    verbose_name = _("The school day")

    def ready(self):
        from mamnon.attendance import demo  # noqa: F401  registers the demo-data generator
