"""Navigation: each role sees the entries it may use, grouped by the bureau's levers."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role

STAFF = STAFF_ROLES
BUREAU = BUREAU_ROLES
ENTERPRISE, AGENCY, REVIEWER = Role.ENTERPRISE, Role.AGENCY, Role.DISTRICT_REVIEWER
EVERYONE = frozenset(Role)


@dataclass
class NavItem:
    label: Promise
    url: str = ""
    children: list["NavItem"] = field(default_factory=list)

    def is_active(self, path: str) -> bool:
        if self.children:
            return any(child.is_active(path) for child in self.children)
        home = self.url == "/"
        return path == self.url if home else path.startswith(self.url)


def _links(user, entries) -> list[NavItem]:
    """Entries are (label, roles, url name, args); only those open to the user's role stay."""
    return [
        NavItem(label, reverse(name, args=args or None))
        for label, roles, name, args in entries
        if user.role in roles
    ]


def _menu(user) -> list[NavItem]:
    registry = _links(
        user,
        [
            (_("Enterprises"), BUREAU | {REVIEWER}, "enterprises:list", None),
            (_("My enterprise"), {ENTERPRISE}, "enterprises:detail", [user.enterprise_id]),
            (_("Generating units"), BUREAU | {REVIEWER}, "enterprises:unit_list", None),
            (_("Verification agencies"), BUREAU, "enterprises:agency_list", None),
            (_("My agency"), {AGENCY}, "enterprises:agency_detail", [user.agency_id]),
            (_("Import"), STAFF, "enterprises:import", None),
        ],
    )
    verification = _links(
        user,
        [
            (
                _("Verification cases"),
                BUREAU | {AGENCY, ENTERPRISE},
                "verification:case_list",
                None,
            ),
            (_("Agency scorecards"), BUREAU | {AGENCY}, "verification:scorecards", None),
            (_("Monthly evidence"), EVERYONE, "verification:evidence_board", None),
            (_("Emission reports"), EVERYONE - {AGENCY}, "verification:report_list", None),
            (_("Emission calculator"), EVERYONE, "verification:calculator", None),
            (_("Checklist templates"), BUREAU | {AGENCY}, "verification:templates", None),
            (_("Emission parameters"), BUREAU, "verification:parameters", None),
            (_("Working-day calendar"), BUREAU, "verification:holidays", None),
        ],
    )
    assistance = _links(
        user,
        [
            (
                _("Assistance visits"),
                BUREAU | {ENTERPRISE, REVIEWER},
                "assistance:visit_list",
                None,
            ),
            (_("Follow-ups"), BUREAU | {ENTERPRISE, REVIEWER}, "assistance:follow_up_list", None),
            (_("Trainings"), BUREAU | {ENTERPRISE, REVIEWER}, "assistance:training_list", None),
            (_("Spot-check draws"), EVERYONE, "assistance:draw_list", None),
            (_("Targets and progress"), BUREAU, "assistance:progress", None),
        ],
    )
    allocation = _links(
        user,
        [
            (
                _("Allocation data"),
                BUREAU | {AGENCY, ENTERPRISE},
                "allocation:unit_allocation_list",
                None,
            ),
            (_("Compliance positions"), BUREAU | {ENTERPRISE}, "allocation:position_list", None),
            (_("Early warning"), BUREAU | {ENTERPRISE}, "allocation:early_warning", None),
            (_("Relief applications"), BUREAU | {ENTERPRISE}, "allocation:relief_list", None),
            (_("Compliance cost ledger"), BUREAU | {ENTERPRISE}, "allocation:cost_list", None),
            (_("Carbon prices"), EVERYONE, "allocation:price_list", None),
            (_("What-if calculator"), BUREAU | {ENTERPRISE}, "allocation:what_if", None),
            (_("Allocation rule sets"), EVERYONE, "allocation:rule_sets", None),
        ],
    )
    groups = [
        (_("Registry"), registry),
        (_("Verification"), verification),
        (_("Assistance"), assistance),
        (_("Allocation"), allocation),
    ]
    menu = [NavItem(_("Home"), reverse("dashboard:home"))]
    menu += _links(user, [(_("Dashboard"), BUREAU, "dashboard:manager", None)])
    for label, children in groups:
        if len(children) == 1:
            menu.append(children[0])
        elif children:
            menu.append(NavItem(label, children=children))
    return menu


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.role:
        return {"nav_items": []}
    items = _menu(user)
    for item in items:
        item.active = item.is_active(request.path)  # type: ignore[attr-defined]
    return {"nav_items": items}
