"""Demonstration logins, loaded by `manage.py seed_demo`: one per role.

The bureau's logins come first (the administrator is the actor of every history row the
seeding writes); the logins bound to the registry's demo enterprise and agency follow the
registry's own demo data, found again by their credit codes.
"""

from collections import Counter
from typing import Any

from baotou_carbon.core.audit import attribute
from enterprises import demo as registry_demo
from enterprises.demo import CREATED, UNCHANGED, UPDATED
from enterprises.models import District, Enterprise, VerificationAgency

from .models import User
from .roles import Role

ADMINISTRATOR = "admin"
# username → (role, full name, district); the administrator comes first, as the actor.
BUREAU_LOGINS = {
    ADMINISTRATOR: (Role.ADMINISTRATOR, "李建国", ""),
    "staff": (Role.BUREAU_STAFF, "王芳", ""),
    "manager": (Role.BUREAU_MANAGER, "张伟", ""),
    "reviewer": (Role.DISTRICT_REVIEWER, "刘洋", District.KUNDULUN),
}


def upsert_user(username: str, *, password: str, actor, tally: Counter, **fields: Any) -> User:
    """A demo login: created or brought back to `fields`, its password reset to `password`
    when it no longer matches. `actor=None` makes the user its own actor (the administrator
    that seeds everything else)."""
    user = User.objects.filter(username=username).first()
    creating = user is None
    if user is None:
        user = User(username=username)
    # Attributed before check_password(), which saves the user itself to upgrade a hash.
    attribute(user, actor=actor or user)
    changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
    for name, value in changed.items():
        setattr(user, name, value)
    stale_password = creating or not user.check_password(password)
    if stale_password:
        user.set_password(password)
    outcome = CREATED if creating else UPDATED if changed or stale_password else UNCHANGED
    if outcome != UNCHANGED:
        user.full_clean()
        user.save()
    tally[f"user {outcome}"] += 1
    return user


def login_fields(*, role: str, full_name: str, email: str) -> dict[str, Any]:
    """The fields of a demo login of `role`, unbound; the caller adds its enterprise, agency
    or district. Unbinding first turns a login that changed role back into a valid one."""
    return {
        "role": role,
        "first_name": full_name,  # Chinese names read family name first: keep them whole
        "last_name": "",
        "email": email,
        "enterprise": None,
        "agency": None,
        "district": "",
        "is_active": True,
        "is_staff": role == Role.ADMINISTRATOR,
        "is_superuser": role == Role.ADMINISTRATOR,
    }


def seed_bureau_logins(*, password: str) -> tuple[User, Counter]:
    """The bureau's logins; returns the administrator (the seeding's actor) and the tally."""
    tally: Counter = Counter()
    users: list[User] = []
    for username, (role, full_name, district) in BUREAU_LOGINS.items():
        fields = login_fields(role=role, full_name=full_name, email=f"{username}@demo.example.cn")
        user = upsert_user(
            username,
            password=password,
            # The first, the administrator, is recorded as its own creator.
            actor=users[0] if users else None,
            tally=tally,
            **fields | {"district": district},
        )
        users.append(user)
    return users[0], tally


def seed(*, actor, password: str, stdout) -> Counter:
    """Create or refresh the logins bound to the registry's demo records (`enterprise`,
    `enterprise2`, `agency`, then `ent-<key>` for every other enterprise with generating units
    and `agency2`); return what happened."""
    tally: Counter = Counter()

    def enterprise(key: str) -> Enterprise:
        return Enterprise.objects.get(uscc=registry_demo.enterprise_by_key(key).uscc)

    agency = VerificationAgency.objects.get(
        uscc=registry_demo.agency_by_key(registry_demo.AGENCY_LOGIN).uscc
    )
    # username → (full name, role, the record the login is bound to)
    logins: dict[str, tuple[str, Role, dict[str, Any]]] = {
        "enterprise": (
            "周建华",
            Role.ENTERPRISE,
            {"enterprise": enterprise(registry_demo.ENTERPRISE_LOGIN)},
        ),
        "enterprise2": (
            "吕晓峰",
            Role.ENTERPRISE,
            {"enterprise": enterprise(registry_demo.SECOND_ENTERPRISE_LOGIN)},
        ),
        "agency": ("额尔敦", Role.AGENCY, {"agency": agency}),
    }
    # Every other enterprise with generating units, and the second agency, have a login too,
    # so that each party of the cross-verification can take its turn in the demo.
    for demo in registry_demo.ENTERPRISES:
        if demo.holds_power_units and demo.key not in {
            registry_demo.ENTERPRISE_LOGIN,
            registry_demo.SECOND_ENTERPRISE_LOGIN,
        }:
            logins[f"ent-{demo.key}"] = (
                f"{demo.name_zh}填报员",
                Role.ENTERPRISE,
                {"enterprise": enterprise(demo.key)},
            )
    for demo_agency in registry_demo.AGENCIES:
        if demo_agency.key != registry_demo.AGENCY_LOGIN:
            logins["agency2"] = (
                "孟繁星",
                Role.AGENCY,
                {"agency": VerificationAgency.objects.get(uscc=demo_agency.uscc)},
            )
    for username, (full_name, role, binding) in logins.items():
        fields = login_fields(role=role, full_name=full_name, email=f"{username}@demo.example.cn")
        upsert_user(username, password=password, actor=actor, tally=tally, **fields | binding)
    for outcome, count in sorted(tally.items()):
        stdout.write(f"  {outcome}: {count}")
    return tally
