"""Writes to the registry. Each is atomic, validated and attributed to its actor."""

from django.db import transaction

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited

from .models import (
    Contact,
    Enterprise,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
)


@transaction.atomic
def enterprise_create(*, actor, **fields) -> Enterprise:
    return save_audited(Enterprise(**fields), actor=actor)


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, actor, **fields) -> Enterprise:
    return update_audited(enterprise, fields=fields, actor=actor)


@transaction.atomic
def contacts_save(
    *, enterprise: Enterprise, changed: list[Contact], deleted: list[Contact], actor
) -> None:
    """Apply an edited contact list: deletions first, then demotions, then the rest, so the
    "one primary contact per enterprise" constraint holds at every step."""
    for contact in deleted:
        if contact.pk:
            delete_audited(contact, actor=actor)
    for contact in sorted(changed, key=lambda c: c.is_primary):
        contact.enterprise = enterprise
        save_audited(contact, actor=actor)


@transaction.atomic
def listing_create(*, enterprise: Enterprise, actor, **fields) -> KeyEmitterListing:
    return save_audited(KeyEmitterListing(enterprise=enterprise, **fields), actor=actor)


@transaction.atomic
def listing_delete(*, listing: KeyEmitterListing, actor) -> None:
    delete_audited(listing, actor=actor)


@transaction.atomic
def facility_create(*, enterprise: Enterprise, actor, **fields) -> Facility:
    return save_audited(Facility(enterprise=enterprise, **fields), actor=actor)


@transaction.atomic
def facility_update(*, facility: Facility, actor, **fields) -> Facility:
    return update_audited(facility, fields=fields, actor=actor)


@transaction.atomic
def unit_create(*, facility: Facility, actor, **fields) -> GeneratingUnit:
    return save_audited(GeneratingUnit(facility=facility, **fields), actor=actor)


@transaction.atomic
def unit_update(*, unit: GeneratingUnit, actor, **fields) -> GeneratingUnit:
    return update_audited(unit, fields=fields, actor=actor)


@transaction.atomic
def agency_create(*, actor, **fields) -> VerificationAgency:
    return save_audited(VerificationAgency(**fields), actor=actor)


@transaction.atomic
def agency_update(*, agency: VerificationAgency, actor, **fields) -> VerificationAgency:
    return update_audited(agency, fields=fields, actor=actor)
