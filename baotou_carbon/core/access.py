"""The shape of every app's access getters (`get_<entity>_for_user_or_404(user, pk, need=...)`).

A getter fetches the row through the user's scoped queryset, so a row the user may not see is a
404 and its existence is not revealed; then it checks what the caller needs with `require_need`,
so a visible row the user may not use that way is a 403. Each app names its needs in an enum in
its permissions.py.
"""

import enum
from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """403 unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def require_need(need: enum.Enum, checks: Mapping[enum.Enum, Callable[[], bool]]) -> None:
    """403 unless the check of `need` passes. `checks` lists the needs the entity knows; asking
    for another one is a programming error, not a refusal."""
    try:
        check = checks[need]
    except KeyError:
        raise ValueError(f"{need} is not a need of this entity") from None
    require(check())
