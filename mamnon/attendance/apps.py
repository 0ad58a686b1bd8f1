from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "mamnon.attendance"
    label = "attendance"
    verbose_name = _("The school day")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from mamnon.attendance import demo  # noqa: F401  registers the demo-data generator
        from mamnon.attendance.models import Attendance

        post_save.connect(_recount, sender=Attendance, dispatch_uid="attendance-daycount-save")
        post_delete.connect(_recount, sender=Attendance, dispatch_uid="attendance-daycount-delete")


def _recount(sender, instance, raw=False, **kwargs):
    """A row saved or deleted one at a time (the admin, a script): recount its group's day."""
    if raw:
        return
    from mamnon.attendance.services import day_counts_refresh

    day_counts_refresh(group_ids=[instance.group_id], day=instance.date)
