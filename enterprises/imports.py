"""Excel/CSV import of enterprises and generating units.

All rows are validated first, with the same forms people use; if any row is bad, the report
lists every bad row with its reason and nothing is written. A dry run never writes. A real
run writes every row in one transaction, creating or updating by natural key (the credit code
for enterprises; credit code + facility + unit code for units).
"""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baotou_carbon.core.audit import save_audited
from baotou_carbon.core.imports import (
    CREDIT_CODE_HEADERS,
    ImportReport,
    RowError,
    choice_value,
    form_errors,
    header_aliases,
    pick,
    run_import,
)

from .forms import EnterpriseForm, GeneratingUnitForm
from .models import Enterprise, Facility, FacilityKind, GeneratingUnit

IMPORT_REASON = gettext_lazy("Imported from a file")

# Mapping headers and values -------------------------------------------------------------

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
        data[name] = choice_value(model_field, raw)
    return data


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
    aliases = header_aliases(Enterprise, ENTERPRISE_FIELDS)
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
            report.errors.extend(form_errors(form, number))
    return valid


# Units ----------------------------------------------------------------------------------

UNIT_FIELDS = GeneratingUnitForm.Meta.fields
FACILITY_HEADERS = {"facility", "facility_name", "设施", "设施名称"}
FACILITY_KIND_HEADERS = {"facility_kind", "设施类型"}


def _validate_units(rows: list[dict[str, str]], report: ImportReport) -> list[forms.ModelForm]:
    aliases = header_aliases(GeneratingUnit, UNIT_FIELDS)
    codes = {pick(row, CREDIT_CODE_HEADERS).upper() for row in rows}
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
        code = pick(row, CREDIT_CODE_HEADERS).upper()
        facility_name = pick(row, FACILITY_HEADERS)
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
            kind = choice_value(kind_field, pick(row, FACILITY_KIND_HEADERS))
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
            report.errors.extend(form_errors(form, number))
    return valid


# Running --------------------------------------------------------------------------------

VALIDATORS = {"enterprises": _validate_enterprises, "units": _validate_units}


def registry_import(*, kind: str, upload, dry_run: bool, actor) -> ImportReport:
    def validate(rows: list[dict[str, str]], report: ImportReport) -> list[forms.ModelForm]:
        valid = VALIDATORS[kind](rows, report)
        for form in valid:
            if form.instance.pk:
                report.updated += 1
            else:
                report.created += 1
        return valid

    return run_import(
        kind=kind,
        upload=upload,
        dry_run=dry_run,
        validate=validate,
        write=lambda valid: _write(valid, actor=actor),
    )


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
