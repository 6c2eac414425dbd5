"""Writes for verification reference data: parameters, the calendar, the deadlines and the
checklist templates."""

from django.db import transaction

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited

from ..models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    Holiday,
)

# Reference data --------------------------------------------------------------------------


@transaction.atomic
def parameter_create(*, actor, **fields) -> EmissionParameter:
    return save_audited(EmissionParameter(**fields), actor=actor)


@transaction.atomic
def parameter_update(*, parameter: EmissionParameter, actor, **fields) -> EmissionParameter:
    return update_audited(parameter, fields=fields, actor=actor)


@transaction.atomic
def holiday_create(*, actor, **fields) -> Holiday:
    return save_audited(Holiday(**fields), actor=actor)


@transaction.atomic
def holiday_update(*, holiday: Holiday, actor, **fields) -> Holiday:
    return update_audited(holiday, fields=fields, actor=actor)


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor) -> None:
    delete_audited(holiday, actor=actor)


@transaction.atomic
def deadline_settings_update(*, actor, **fields) -> DeadlineSettings:
    return update_audited(DeadlineSettings.current(), fields=fields, actor=actor)


@transaction.atomic
def template_create(*, actor, **fields) -> ChecklistTemplate:
    return save_audited(ChecklistTemplate(**fields), actor=actor)


@transaction.atomic
def template_update(*, template: ChecklistTemplate, actor, **fields) -> ChecklistTemplate:
    return update_audited(template, fields=fields, actor=actor)


@transaction.atomic
def template_item_create(*, template: ChecklistTemplate, actor, **fields) -> ChecklistTemplateItem:
    return save_audited(ChecklistTemplateItem(template=template, **fields), actor=actor)


@transaction.atomic
def template_item_update(*, item: ChecklistTemplateItem, actor, **fields) -> ChecklistTemplateItem:
    return update_audited(item, fields=fields, actor=actor)
