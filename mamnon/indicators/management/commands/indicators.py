"""``mamnon indicators refresh [--period P] [--unit U] [--dirty]``: recompute and store indicator values."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mamnon.calc import periods as P
from mamnon.indicators import services
from mamnon.org.models import OrgUnit


class Command(BaseCommand):
    help = "Recompute indicator values (sums of numerators and denominators up the tree) and store them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute the values of a school year or period")
        refresh.add_argument("--period", help="a school year (2023-2024) or one period (2023-2024/R1, 2023-09); "
                                              "default: the current school year")
        refresh.add_argument("--unit", help="only this unit's subtree (its code or id)")
        refresh.add_argument("--dirty", action="store_true", help="only the school years whose data changed")

    def handle(self, *args, **options):
        console = Console(stderr=True)
        unit = None
        if options.get("unit"):
            key = options["unit"]
            unit = OrgUnit.objects.filter(code=key).first() or (
                OrgUnit.objects.filter(pk=int(key)).first() if key.isdigit() else None)
            if unit is None:
                raise CommandError(f"no unit with code or id {key!r}")
        jobs: list[dict] = []
        if options.get("dirty"):
            jobs = [{"school_year": y} for y in services.dirty_years()]
        else:
            period = options.get("period")
            if period:
                try:
                    p = P.parse_period(period)
                except P.PeriodError as exc:
                    raise CommandError(str(exc)) from exc
                jobs = [{"school_year": period} if p.kind == P.SCHOOL_YEAR else {"period": period}]
            else:
                jobs = [{"school_year": services.current_school_year()}]
        total = 0
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as progress:
            for job in jobs:
                label = job.get("school_year") or job.get("period")
                task = progress.add_task(f"indicators {label}", total=None)

                def step(done, of, code, task=task):
                    progress.update(task, total=of, completed=done, description=f"indicators {code}")

                total += services.values_refresh(unit=unit, progress=step, **job)
        self.stdout.write(f"{total} values stored")
