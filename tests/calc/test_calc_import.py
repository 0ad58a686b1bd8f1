"""mamnon.calc is pure computation: importing it must not pull in Django."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CODE = """
import sys
import mamnon.calc
import mamnon.calc.periods
assert mamnon.calc.periods.parse_period("2023-2024").kind == "school_year"
django = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print("DJANGO:" + ",".join(django))
"""


def test_calc_imports_without_django():
    env_free = {"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}  # no DJANGO_SETTINGS_MODULE either
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60, env=env_free, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DJANGO:", result.stdout
