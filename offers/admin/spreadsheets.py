"""The admin's spreadsheet import (django-import-export) with a template to download."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path
from import_export.admin import ImportMixin
from import_export.formats import base_formats


class SpreadsheetCSV(base_formats.CSV):
    """CSV as spreadsheets save it: comma or, as German Excel does, semicolon."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        header = in_stream.lstrip("\ufeff").partition("\n")[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        return super().create_dataset(in_stream, delimiter=delimiter, **kwargs)


FORMATS = {"csv": SpreadsheetCSV, "xlsx": base_formats.XLSX}


class SpreadsheetImport(ImportMixin):
    """Import from CSV or XLSX: preview, errors per row, nothing saved before confirming."""

    import_template_name = "admin/offers/import.html"
    formats = list(FORMATS.values())
    from_encoding = "utf-8-sig"

    def get_import_formats(self):
        return self.formats

    def get_urls(self):
        return [
            path(
                "import/vorlage.<str:extension>",
                self.admin_site.admin_view(self.template_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def template_view(self, request, extension):
        """The import's columns as an empty table, or with every entry (``?eintraege=1``)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if extension not in FORMATS:
            raise Http404
        resource = self.get_import_resource_classes(request)[0]()
        with_entries = request.GET.get("eintraege") == "1"
        queryset = self.spreadsheet_queryset() if with_entries else self.model.objects.none()
        file_format = FORMATS[extension]()
        data = file_format.export_data(resource.export(queryset=queryset))
        if extension == "csv":
            data = "\ufeff" + data  # so that Excel reads the umlauts
        name = f"{self.opts.model_name}-{'eintraege' if with_entries else 'vorlage'}.{extension}"
        response = HttpResponse(data, content_type=file_format.get_content_type())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def spreadsheet_queryset(self):
        return self.model.objects.all()
