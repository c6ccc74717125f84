"""manage.py export_hsds DIR: the open data as an HSDS tabular package (CSV + datapackage.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from opendata.tabular import write_package


class Command(BaseCommand):
    help = "Write every published offer, provider and taxonomy as the HSDS 3 tabular package."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="where to write the files")

    def handle(self, directory, **options):
        names = write_package(directory)
        self.stdout.write(f"{len(names)} files written to {directory}: {', '.join(names)}")
