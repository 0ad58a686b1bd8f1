"""The WSGI entry point loads the URLconf (and so every view) when a worker starts, not on its first request."""

import subprocess
import sys


def test_wsgi_import_loads_the_urlconf_and_the_views():
    code = (
        "import sys\n"
        "import mamnon.config.wsgi\n"
        "from django.urls import get_resolver\n"
        "assert 'url_patterns' in vars(get_resolver()), 'URLconf not loaded at start'\n"
        "assert 'mamnon.attendance.api' in sys.modules, 'the attendance API views not imported at start'\n"
        "print('loaded')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "loaded"
