#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oberhausen_praevention.settings")
    # A machine without a configured secret is a developer's: manage.py works
    # there out of the box. Servers set SECRET_KEY, so DEBUG stays off for them,
    # and gunicorn (wsgi.py) never gets this default.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
