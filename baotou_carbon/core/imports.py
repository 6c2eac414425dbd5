"""The machinery every spreadsheet import shares (the registry's, the cost ledger's, the carbon
prices'): reading an uploaded Excel or CSV table into rows keyed by header, mapping headers and
choices written in either language to field names and values, the report a dry run or a real
run shows (every bad row with its number and message), and the template workbook offered for
download.

Each import validates every row with the form people use for one record, lists every bad row,
and writes nothing if any row is bad; a dry run never writes.
"""

import csv
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from .forms import form_helper

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RowError:
    row: int  # 1-based spreadsheet row, the header being row 1; 0 for the file as a whole
    field: str
    message: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    row_count: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, message: str) -> "ImportReport":
        """The whole file is refused (unreadable, too long, written over meanwhile)."""
        self.created = self.updated = 0
        self.errors.append(RowError(0, "", message))
        return self


# Reading ----------------------------------------------------------------------------------


def read_rows(upload, *, max_rows: int | None = None) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by header, blank rows left out; only the header's
    columns are read. Raises ValidationError if the file can't be read, is empty or has more
    than `max_rows` data rows (settings.IMPORT_MAX_ROWS by default)."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
        )
    name = upload.name.lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        headers, values = _read_xlsx(content)
    elif name.endswith(".csv"):
        headers, values = _read_csv(content)
    else:
        raise ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
    if not headers:
        raise ValidationError(_("The file is empty."))
    rows: list[dict[str, str]] = []
    for line in values:
        cells = [_cell(v) for v in line[: len(headers)]]
        if not any(cells):
            continue
        if len(rows) == max_rows:
            raise ValidationError(
                _("The file has more than %(max)d data rows: split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append(dict(zip(headers, cells, strict=False)))
    if not rows:
        raise ValidationError(_("The file has a header row but no data rows."))
    return rows


def _cell(value: Any) -> str:
    """A cell as the forms read it: a date typed in Excel as its ISO date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    return str(value).strip()


def _headers(first: Any) -> list[str]:
    """The header row, up to its last named column."""
    headers = [str(h or "").strip() for h in first]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _read_xlsx(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ValidationError(_("This is not a readable Excel file.")) from exc
    headers = _headers(first)
    if not headers:
        return [], iter(())
    return headers, sheet.iter_rows(min_row=2, max_col=len(headers), values_only=True)


def _read_csv(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Save the CSV file as UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text))
    return _headers(next(reader, [])), reader


T = TypeVar("T")


def run_import(
    *,
    kind: str,
    upload,
    dry_run: bool,
    validate: Callable[[list[dict[str, str]], ImportReport], list[T]],
    write: Callable[[list[T]], object],
    max_rows: int | None = None,
) -> ImportReport:
    """Read the file, `validate` every row (it adds each bad row's errors to the report, counts
    what would be created or updated and returns what to write), then, unless it is a dry run
    or a row is bad, `write` it all in one transaction."""
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        rows = read_rows(upload, max_rows=max_rows)
    except ValidationError as error:
        return report.refuse(" ".join(error.messages))
    report.row_count = len(rows)
    valid = validate(rows, report)
    if report.errors or dry_run:
        return report
    try:
        write(valid)
    except IntegrityError:
        # Someone saved the same records between the check and the write.
        report.refuse(_("Another change saved the same records meanwhile; import again."))
    except ValidationError as error:  # a check only the write can make
        report.refuse(" ".join(error.messages))
    return report


# Mapping headers and values ---------------------------------------------------------------


def header_aliases(model, names: list[str]) -> dict[str, str]:
    """Header → field name, accepting the field name and its label in every language."""
    aliases = {}
    for name in names:
        aliases[name.lower()] = name
        model_field = model._meta.get_field(name)
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                aliases[str(model_field.verbose_name).lower()] = name
    return aliases


def choice_value(model_field, raw: str) -> str:
    """Accept a choice's stored value or its label in any language."""
    if not model_field.choices or not raw:
        return raw
    for value, label in model_field.choices:
        if raw == value:
            return raw
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                if raw.lower() == str(label).lower():
                    return value
    return raw


# How a column of unified social credit codes may be headed, in either language.
CREDIT_CODE_HEADERS = frozenset(
    {
        "enterprise_uscc",
        "uscc",
        "统一社会信用代码",
        "unified social credit code",
        "credit code",
        "信用代码",
    }
)


def pick(row: dict[str, str], headers: Collection[str]) -> str:
    """The value of the first of the row's columns whose header is one of `headers`."""
    for header, value in row.items():
        if header.strip().lower() in headers:
            return value
    return ""


def form_errors(form: forms.BaseForm, row_number: int) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        for message in messages:
            errors.append(RowError(row_number, label, str(message)))
    return errors


# The upload form --------------------------------------------------------------------------


class ImportFileForm(forms.Form):
    """The file and the dry-run switch every import page asks for (a page may add fields)."""

    file = forms.FileField(
        label=_lazy("File"), help_text=_lazy("Excel (.xlsx) or CSV (UTF-8), first row headers.")
    )
    dry_run = forms.BooleanField(
        label=_lazy("Dry run: check every row, import nothing"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.fields, submit=_lazy("Check and import"))


# The template workbook --------------------------------------------------------------------


def template_workbook_response(
    headers: list[str], example: list[Any], *, filename: str
) -> HttpResponse:
    """A workbook with the import's headers (bold) and one example row, as a download."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(h) for h in headers])
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = max(14, len(str(column[0].value)) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
