"""Excel/CSV import of enterprises and generating units.

All rows are validated first, with the same forms people use; if any row is bad, the report
lists every bad row with its reason and nothing is written. A dry run never writes. A real
run writes every row in one transaction, creating or updating by natural key (the credit code
for enterprises; credit code + facility + unit code for units).
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from baotou_carbon.core.audit import save_audited

from .forms import EnterpriseForm, GeneratingUnitForm
from .models import Enterprise, Facility, FacilityKind, GeneratingUnit

IMPORT_REASON = gettext_lazy("Imported from a file")


@dataclass
class RowError:
    row: int  # 1-based spreadsheet row, the header being row 1
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


# Reading --------------------------------------------------------------------------------


def read_rows(upload) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by header; raises ValidationError if it can't be read."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
        )
    name = upload.name.lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.endswith(".csv"):
        table = _read_csv(content)
    else:
        raise ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
    if not table:
        raise ValidationError(_("The file is empty."))
    headers = [str(h or "").strip() for h in table[0]]
    rows = []
    for values in table[1:]:
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        rows.append(dict(zip(headers, cells, strict=False)))
    if not rows:
        raise ValidationError(_("The file has a header row but no data rows."))
    return rows


def _read_xlsx(content: bytes) -> list[list[Any]]:

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ValidationError(_("This is not a readable Excel file.")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Save the CSV file as UTF-8.")) from exc
    return list(csv.reader(io.StringIO(text)))


# Mapping headers and values -------------------------------------------------------------


def _aliases(model, names: list[str]) -> dict[str, str]:
    """Header → field name, accepting the field name and its label in every language."""
    aliases = {}
    for name in names:
        aliases[name.lower()] = name
        model_field = model._meta.get_field(name)
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                aliases[str(model_field.verbose_name).lower()] = name
    return aliases


def _choice_value(model_field, raw: str) -> str:
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


BOOLEAN_WORDS = {"1", "true", "yes", "y", "是", "t"}


def _form_data(model, fields: list[str], row: dict[str, str], aliases: dict[str, str]) -> dict:
    data: dict[str, str] = {}
    for header, raw in row.items():
        name = aliases.get(header.strip().lower())
        if name is None or name not in fields:
            continue
        model_field = model._meta.get_field(name)
        if model_field.get_internal_type() == "BooleanField":
            if raw.lower() in BOOLEAN_WORDS:
                data[name] = "on"
            continue
        data[name] = _choice_value(model_field, raw)
    return data


def _form_errors(form: forms.BaseForm, row_number: int) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        for message in messages:
            errors.append(RowError(row_number, label, str(message)))
    return errors


# Enterprises ----------------------------------------------------------------------------

ENTERPRISE_FIELDS = EnterpriseForm.Meta.fields


class EnterpriseImportForm(EnterpriseForm):
    """The enterprise form for one imported row. Credit-code uniqueness is settled for the
    whole file at once (existing codes fetched in one query become updates; repeats within
    the file are caught in memory), so no per-row uniqueness query."""

    def validate_unique(self) -> None:
        return None


def _validate_enterprises(
    rows: list[dict[str, str]], report: ImportReport
) -> list[forms.ModelForm]:
    aliases = _aliases(Enterprise, ENTERPRISE_FIELDS)
    codes = [_form_data(Enterprise, ["uscc"], row, aliases).get("uscc", "").upper() for row in rows]
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[c for c in codes if c])}
    seen: dict[str, int] = {}
    valid: list[forms.ModelForm] = []
    for number, (row, code) in enumerate(zip(rows, codes, strict=True), start=2):
        data = _form_data(Enterprise, ENTERPRISE_FIELDS, row, aliases)
        if "is_active" not in data and not any(aliases.get(h.lower()) == "is_active" for h in row):
            data["is_active"] = "on"
        if code in seen:
            report.errors.append(
                RowError(
                    number,
                    str(Enterprise._meta.get_field("uscc").verbose_name),
                    _("The same credit code is already on row %(row)d.") % {"row": seen[code]},
                )
            )
            continue
        if code:
            seen[code] = number
        form = EnterpriseImportForm(data, instance=existing.get(code))
        if form.is_valid():
            valid.append(form)
        else:
            report.errors.extend(_form_errors(form, number))
    return valid


# Units ----------------------------------------------------------------------------------

UNIT_FIELDS = GeneratingUnitForm.Meta.fields
ENTERPRISE_CODE_HEADERS = {
    "enterprise_uscc",
    "uscc",
    "统一社会信用代码",
    "unified social credit code",
    "credit code",
    "信用代码",
}
FACILITY_HEADERS = {"facility", "facility_name", "设施", "设施名称"}
FACILITY_KIND_HEADERS = {"facility_kind", "设施类型"}


def _pick(row: dict[str, str], headers: set[str]) -> str:
    for header, value in row.items():
        if header.strip().lower() in headers:
            return value
    return ""


def _validate_units(rows: list[dict[str, str]], report: ImportReport) -> list[forms.ModelForm]:
    aliases = _aliases(GeneratingUnit, UNIT_FIELDS)
    codes = {_pick(row, ENTERPRISE_CODE_HEADERS).upper() for row in rows}
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
    facilities = {
        (f.enterprise_id, f.name_zh): f
        for f in Facility.objects.filter(enterprise__in=enterprises.values())
    }
    units = {
        (u.facility_id, u.code): u
        for u in GeneratingUnit.objects.filter(facility__in=facilities.values())
    }
    kind_field = Facility._meta.get_field("kind")
    seen: dict[tuple[str, str, str], int] = {}
    valid: list[forms.ModelForm] = []
    enterprise_label = _("Enterprise credit code")
    facility_label = _("Facility")
    for number, row in enumerate(rows, start=2):
        code = _pick(row, ENTERPRISE_CODE_HEADERS).upper()
        facility_name = _pick(row, FACILITY_HEADERS)
        enterprise = enterprises.get(code)
        if enterprise is None:
            message = (
                _("No enterprise has the credit code %(code)s; import the enterprise first.")
                % {"code": code}
                if code
                else _("This column is required.")
            )
            report.errors.append(RowError(number, enterprise_label, message))
            continue
        if not facility_name:
            report.errors.append(RowError(number, facility_label, _("This column is required.")))
            continue
        facility = facilities.get((enterprise.pk, facility_name))
        if facility is None:
            kind = _choice_value(kind_field, _pick(row, FACILITY_KIND_HEADERS))
            facility = Facility(
                enterprise=enterprise,
                name_zh=facility_name,
                kind=kind if kind in FacilityKind.values else FacilityKind.CAPTIVE_POWER,
            )
            facilities[(enterprise.pk, facility_name)] = facility
        data = _form_data(GeneratingUnit, UNIT_FIELDS, row, aliases)
        key = (code, facility_name, data.get("code", ""))
        if key in seen:
            report.errors.append(
                RowError(
                    number,
                    str(GeneratingUnit._meta.get_field("code").verbose_name),
                    _("The same unit is already on row %(row)d.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        instance = units.get((facility.pk, data.get("code", ""))) if facility.pk else None
        form = GeneratingUnitForm(data, instance=instance, facility=facility)
        if form.is_valid():
            valid.append(form)
        else:
            report.errors.extend(_form_errors(form, number))
    return valid


# Running --------------------------------------------------------------------------------

VALIDATORS = {"enterprises": _validate_enterprises, "units": _validate_units}


def registry_import(*, kind: str, upload, dry_run: bool, actor) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        rows = read_rows(upload)
    except ValidationError as error:
        report.errors.append(RowError(0, "", " ".join(error.messages)))
        return report
    report.row_count = len(rows)
    valid = VALIDATORS[kind](rows, report)
    if report.errors:
        return report
    for form in valid:
        if form.instance.pk:
            report.updated += 1
        else:
            report.created += 1
    if not dry_run:
        try:
            _write(valid, actor=actor)
        except IntegrityError:
            # Someone saved the same credit code or unit between the check and the write.
            report.created = report.updated = 0
            report.errors.append(
                RowError(0, "", _("Another change saved the same records meanwhile; import again."))
            )
    return report


@transaction.atomic
def _write(valid_forms: list[forms.ModelForm], *, actor) -> None:
    for form in valid_forms:
        instance = form.save(commit=False)
        if isinstance(instance, GeneratingUnit):
            facility = instance.facility
            if facility.pk is None:  # a new facility, shared by the rows that name it
                save_audited(facility, actor=actor, reason=str(IMPORT_REASON))
            instance.facility = facility  # sets facility_id now that it has a pk
        save_audited(instance, actor=actor, reason=str(IMPORT_REASON))
