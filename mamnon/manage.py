"""The ``mamnon`` console script: Django's manage.py with mamnon's settings and one-line errors."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "mamnon"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `mamnon demo-data` runs the demo_data command
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        print(f"mamnon: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # only database connection failures are turned into one line
        from django.db.utils import OperationalError

        if isinstance(exc, OperationalError):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(f"mamnon: cannot reach the database: {first}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
