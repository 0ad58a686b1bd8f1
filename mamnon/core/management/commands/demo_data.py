"""mamnon demo-data [--scale small|city|national] [--seed N] [--replace]"""

import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mamnon.core import demo
from mamnon.org.models import OrgUnit


class Command(BaseCommand):
    help = "Load deterministic demo data (Sao Sáng and its city, or the whole country) with a progress bar."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser("mamnon", "demo-data", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=demo.SCALES, default="small")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--replace", action="store_true", help="wipe the database first (flush)")

    def handle(self, *args, scale, seed, replace, **options):
        console = Console(stderr=True)
        if OrgUnit.objects.exists():
            if not replace:
                raise CommandError("the database already holds units; run with --replace to wipe it first")
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=False, disable=options.get("verbosity", 1) == 0,
        ) as progress:

            def make_task(description: str, total: int):
                task = progress.add_task(description, total=total)
                return lambda n=1: progress.advance(task, n)

            ctx = demo.DemoContext(scale=scale, seed=seed, rng=random.Random(seed), progress=make_task)
            with transaction.atomic():
                for gen in demo.generators():
                    gen.func(ctx)
        elapsed = time.perf_counter() - started
        table = Table(title=f"Demo logins ({scale}, seed {seed}, {elapsed:.1f} s)")
        for col in ("Vai trò", "Tên đăng nhập", "Mật khẩu"):
            table.add_column(col)
        for row in ctx.logins:
            table.add_row(*row)
        Console().print(table)
