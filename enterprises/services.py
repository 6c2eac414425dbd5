"""Writes to the registry. Each is atomic, validated and attributed to its actor."""

import secrets

from django.db import transaction
from django.utils import timezone

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited

from .models import (
    Contact,
    Enterprise,
    EnterpriseApiToken,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
    api_key_digest,
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


@transaction.atomic
def api_token_issue(
    *, enterprise: Enterprise, user, name: str, actor
) -> tuple[EnterpriseApiToken, str]:
    """A new token of `enterprise` acting as `user`, and its key: the only time the key is
    known, as only its hash is kept."""
    key = secrets.token_urlsafe(32)
    token = save_audited(
        EnterpriseApiToken(
            enterprise=enterprise,
            user=user,
            name=name,
            prefix=key[: EnterpriseApiToken.PREFIX_LENGTH],
            key_hash=api_key_digest(key),
            created_by=actor,
        ),
        actor=actor,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: EnterpriseApiToken, actor) -> EnterpriseApiToken:
    """Revoke the token for good; revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    return update_audited(token, fields={"revoked_at": timezone.now()}, actor=actor)
