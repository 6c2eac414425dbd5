"""Who may open the manager dashboard and start its recompute: the allocation app's rule for
the bureau-wide savings, named once there."""

from allocation.permissions import can_recompute_savings, can_see_savings


def can_view_dashboard(user) -> bool:
    return can_see_savings(user)


def can_start_recompute(user) -> bool:
    return can_recompute_savings(user)
