"""``mamnon duties rollover --from YEAR --to YEAR [--unit U]``: copy the recurring duties of every unit's plan
(or of one unit's subtree) into the next school year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mamnon.org.models import OrgUnit, SchoolYear
from mamnon.reporting import services


def school_year(text: str) -> SchoolYear:
    """A school year by its code (2023-2024) or its first calendar year (2023)."""
    text = (text or "").strip()
    year = SchoolYear.objects.filter(code=text).first()
    if year is None and text.isdigit():
        year = SchoolYear.objects.filter(start_date__year=int(text)).order_by("start_date").first()
    if year is None:
        raise CommandError(f"no school year {text!r} (give 2023 or 2023-2024; the year must exist)")
    return year


class Command(BaseCommand):
    help = "Monthly plans (kế hoạch tháng): copy recurring yearly duties into the next school year."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser("mamnon", "duties", **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        roll = sub.add_parser("rollover", help="copy the recurring duties of one school year into another")
        roll.add_argument("--from", dest="from_year", required=True,
                          help="school year to copy from (2023 or 2023-2024)")
        roll.add_argument("--to", dest="to_year", required=True, help="school year to copy into (2024 or 2024-2025)")
        roll.add_argument("--unit", help="only this unit and the units below it (its code or id)")

    def handle(self, *args, action=None, from_year=None, to_year=None, unit=None, **options):
        source, target = school_year(from_year), school_year(to_year)
        if target.start_date <= source.start_date:
            raise CommandError(f"--to {target.code} must be later than --from {source.code}")
        root = None
        if unit:
            root = OrgUnit.objects.filter(code=unit).first() or (
                OrgUnit.objects.filter(pk=int(unit)).first() if unit.isdigit() else None)
            if root is None:
                raise CommandError(f"no unit with code or id {unit!r}")
        units = list(services.units_with_recurring_duties(source, root))
        copied = touched = 0
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True),
                      disable=options.get("verbosity", 1) == 0) as progress:
            task = progress.add_task(f"Kế hoạch {source.code} → {target.code}", total=len(units))
            for u in units:
                try:
                    n = services.duties_roll_over(unit=u, from_year=source, to_year=target)
                except ValidationError as exc:  # pragma: no cover - the years were checked above
                    raise CommandError("; ".join(exc.messages)) from None
                copied += n
                touched += bool(n)
                progress.advance(task)
        self.stdout.write(f"{copied} duties copied into {target.code} for {touched} of {len(units)} units "
                          f"({len(units) - touched} already had them)")
