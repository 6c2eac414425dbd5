"""Row-level scoping: which enterprises a user may see, as a filter any app can apply.

Every app's permissions.py builds its scoped querysets from `enterprise_filter`, so the
rule "an enterprise user sees only its own enterprise" lives in one place.
"""

from django.apps import apps
from django.db.models import Q

from baotou_carbon.accounts.roles import BUREAU_ROLES, Role

NOTHING = Q(pk__in=[])


def enterprise_filter(user, path: str = "") -> Q:
    """A Q limiting rows whose enterprise is reached through `path` (e.g. "facility__enterprise")
    to the enterprises `user` may see. An empty path filters Enterprise itself."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    prefix = f"{path}__" if path else ""
    if user.role in BUREAU_ROLES:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}pk": user.enterprise_id})
    if user.role == Role.DISTRICT_REVIEWER:
        return Q(**{f"{prefix}district": user.district})
    if user.role == Role.AGENCY and user.agency_id:
        # Agency users see the enterprises of the cases assigned to their agency. A subquery
        # (not a join) so an enterprise with several cases is still one row; the model is
        # looked up by name so core does not import verification.
        cases = apps.get_model("verification", "VerificationCase").objects.filter(
            agency=user.agency_id
        )
        return Q(**{f"{prefix}pk__in": cases.values("enterprise_id")})
    return NOTHING
