import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
application = get_wsgi_application()

# Import the URLconf, and with it every view, now rather than on a worker's first request: that request
# would wait about 0.7 s (and with it every request queued behind it in that worker).
_views = get_resolver().url_patterns
