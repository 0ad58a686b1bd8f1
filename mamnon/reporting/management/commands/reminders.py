"""mamnon reminders [--date dd/mm/yyyy]: issue the reports owed and remind who owes them (for cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mamnon.core import clock
from mamnon.reporting import reminders
from mamnon.reporting.models import ReportForm


class Command(BaseCommand):
    help = "Issue the reports owed this school year and send reminders (in the app and by e-mail)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser("mamnon", "reminders", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as if today were this day (dd/mm/yyyy)")

    def handle(self, *args, date=None, **options):
        today = clock.today()
        if date:
            try:
                today = dt.datetime.strptime(date, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(f"--date {date!r}: use dd/mm/yyyy") from None
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=Console(stderr=True), disable=options.get("verbosity", 1) == 0) as progress:
            task = progress.add_task("Báo cáo", total=ReportForm.objects.filter(active=True).count())
            reminders.issue_current(today, progress=lambda: progress.advance(task))
        result = reminders.send_reminders(today, issue=False)
        self.stdout.write(f"{result['reminders']} report reminders, {result['duty_reminders']} duty reminders, "
                          f"{result['emails']} e-mails ({today:%d/%m/%Y})")
