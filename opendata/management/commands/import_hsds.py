"""manage.py import_hsds DIR: an HSDS tabular package into providers, places and offers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from offers.models import Location, Offer, Provider
from opendata.importer import PackageError, import_package

MODELS = {"providers": Provider, "locations": Location, "offers": Offer}


class Command(BaseCommand):
    help = (
        "Import an HSDS 3 tabular package (CSV files as export_hsds writes them): all or "
        "nothing, matched by id; new offers are drafts unless --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the package's directory")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, save nothing"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the imported offers that are complete (active, a topic, a place)",
        )

    def handle(self, directory, dry_run, publish, **options):
        try:
            report = import_package(directory, publish=publish, dry_run=dry_run)
        except PackageError as error:
            self._notes(error.notes)
            raise CommandError(
                _("Nothing was imported: the package has %(count)s problem(s).")
                % {"count": len(error.problems)}
                + "\n"
                + "\n".join(error.problems)
            ) from None
        self._notes(report.notes)
        for kind, model in MODELS.items():
            label = model._meta.verbose_name
            for name in report.created[kind]:
                self.stdout.write(_("new – %(kind)s: %(name)s") % {"kind": label, "name": name})
            for name in report.changed[kind]:
                self.stdout.write(_("changed – %(kind)s: %(name)s") % {"kind": label, "name": name})
        summary = ", ".join(
            _("%(kind)s: %(created)s new, %(changed)s changed, %(unchanged)s unchanged")
            % {
                "kind": model._meta.verbose_name_plural,
                "created": len(report.created[kind]),
                "changed": len(report.changed[kind]),
                "unchanged": report.unchanged[kind],
            }
            for kind, model in MODELS.items()
        )
        if dry_run:
            self.stdout.write(_("Dry run, nothing saved. %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported. %(summary)s") % {"summary": summary}))

    def _notes(self, notes):
        for note in notes:
            self.stderr.write(_("Note: %(note)s") % {"note": note})
