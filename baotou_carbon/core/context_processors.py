"""Navigation: each role sees the entries it may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baotou_carbon.accounts.roles import BUREAU_ROLES, Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("core:home"))]
    if user.role in BUREAU_ROLES or user.role == Role.DISTRICT_REVIEWER:
        items += [
            (_("Enterprises"), reverse("enterprises:list")),
            (_("Generating units"), reverse("enterprises:unit_list")),
        ]
    if user.role == Role.ENTERPRISE:
        items.append((_("My enterprise"), reverse("enterprises:detail", args=[user.enterprise_id])))
    if user.role in BUREAU_ROLES:
        items.append((_("Verification agencies"), reverse("enterprises:agency_list")))
    if user.role == Role.AGENCY:
        items.append((_("My agency"), reverse("enterprises:agency_detail", args=[user.agency_id])))
    if user.role in BUREAU_ROLES | {Role.ENTERPRISE, Role.DISTRICT_REVIEWER}:
        # Visits, follow-ups, trainings, draws and progress share one sub-navigation.
        items.append((_("Assistance"), reverse("assistance:visit_list")))
    else:  # agency users: only the published "double random, one public" draws
        items.append((_("Spot-check draws"), reverse("assistance:draw_list")))
    if user.role in BUREAU_ROLES | {Role.AGENCY, Role.ENTERPRISE}:
        items.append((_("Verification cases"), reverse("verification:case_list")))
    items.append((_("Emission calculator"), reverse("verification:calculator")))
    items.append((_("Monthly evidence"), reverse("verification:evidence_board")))
    if user.role != Role.AGENCY:
        items.append((_("Emission reports"), reverse("verification:report_list")))
    if user.can_edit_registry:
        items.append((_("Import"), reverse("enterprises:import")))
    return {"nav_items": items}
