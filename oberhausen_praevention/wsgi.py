import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oberhausen_praevention.settings")

application = get_wsgi_application()
