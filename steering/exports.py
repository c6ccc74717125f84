"""Tables for the Präventionskonferenz: the coverage matrix and offer lists as CSV and XLSX.

Both formats open in LibreOffice and Excel with umlauts intact: CSV as UTF-8
with a byte order mark and semicolons (what German Excel expects), XLSX
through openpyxl. The first rows say what was chosen and when.
"""

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    about: list  # [(label, value)]: the filters and the date
    header: list
    rows: list = field(default_factory=list)
    name: str = "export"  # the file name, without date and extension

    def lines(self):
        """Every line as it appears in the file: title, about, an empty line, header, rows."""
        yield [self.title]
        for label, value in self.about:
            yield [label, value]
        yield []
        yield self.header
        yield from self.rows


def _filename(table, extension):
    return f"{slugify(table.name)}-{timezone.localdate().isoformat()}.{extension}"


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value):
    # A text that starts like a formula is run as one by spreadsheets: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in table.lines():
        writer.writerow([_csv_cell(value) for value in line])
    content = "\ufeff" + buffer.getvalue()
    return _attachment(content.encode("utf-8"), CSV_TYPE, _filename(table, "csv"))


def as_xlsx(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    for line in table.lines():
        sheet.append(line)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even "=…": no formula runs
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = len(table.about) + 3
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for column, heading in enumerate(table.header, start=1):
        width = max([len(str(heading)), *(len(str(row[column - 1])) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, _filename(table, "xlsx"))


FORMATS = {"csv": as_csv, "xlsx": as_xlsx}


def today_line():
    return (_("As of"), date_format(timezone.localdate(), "DATE_FORMAT"))


MARKS = {
    "gap": gettext_lazy("gap"),
    "thin": gettext_lazy("thin"),
    "parallel": gettext_lazy("parallel?"),
}


def coverage_table(coverage):
    """The matrix, one line per row and four columns per phase."""
    about = [
        (_("Social area"), coverage.district.name if coverage.district else _("whole city")),
        (_("Rows"), str(coverage.dimension.label)),
        today_line(),
    ]
    if coverage.year:
        figures = str(coverage.year)
        if coverage.demo_figures:
            figures += " (" + _("demo figures") + ")"
        about.append((_("Numbers of children"), figures))
    columns = [_("offers"), _("providers"), _("per 1 000 children"), _("mark")]
    header = [str(coverage.dimension.label)]
    for phase in coverage.phases:
        header += [f"{phase.name}: {column}" for column in columns]
    rows = []
    for row, cells in coverage.rows:
        line = [str(row)]
        for cell in cells:
            rate = cell.per_thousand
            line += [
                cell.offers,
                cell.providers,
                round(rate, 1) if rate is not None else "",
                str(MARKS.get(cell.mark, "")),
            ]
        rows.append(line)
    scope = coverage.district.slug if coverage.district else "stadt"
    return Table(
        title=_("Coverage of the prevention chain"),
        about=about,
        header=header,
        rows=rows,
        name=f"abdeckung-{scope}-{coverage.dimension.key}",
    )


def offers_table(offers, about):
    """Offers with what a conference needs to know of them (``offers`` uses with_related())."""
    header = [
        _("Title"),
        _("Provider"),
        _("Status"),
        _("Age"),
        _("Topics"),
        _("Target groups"),
        _("Languages"),
        _("Social areas"),
        _("Cost"),
        _("Contact person"),
        _("Phone"),
        _("Email"),
        _("Website"),
        _("Last verified on"),
        _("Valid until"),
    ]
    rows = []
    for offer in offers:
        rows.append(
            [
                offer.title,
                str(offer.provider or ""),
                offer.get_status_display(),
                offer.age_range_display,
                ", ".join(str(topic) for topic in offer.topics.all()),
                ", ".join(str(group) for group in offer.target_groups.all()),
                ", ".join(str(language) for language in offer.languages.all()),
                _("citywide")
                if offer.citywide
                else ", ".join(district.name for district in offer.served_districts),
                offer.get_cost_display(),
                offer.contact_name,
                offer.contact_phone,
                offer.contact_email,
                offer.website,
                offer.last_verified_at.isoformat() if offer.last_verified_at else "",
                offer.valid_until.isoformat() if offer.valid_until else "",
            ]
        )
    return Table(
        title=_("Offers"), about=[*about, today_line()], header=header, rows=rows, name="angebote"
    )
