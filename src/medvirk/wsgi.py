"""WSGI entry point for gunicorn (``medvirk serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.production")
application = get_wsgi_application()
