from django.db.models import Count

from enterprises.models import District
from enterprises.permissions import agencies_for_user, enterprises_for_user, units_for_user


def home_summary(user) -> dict:
    """The counts on the home page, limited to what the user may see."""
    enterprises = enterprises_for_user(user)
    return {
        "enterprise_count": enterprises.count(),
        "unit_count": units_for_user(user).count(),
        "agency_count": agencies_for_user(user).count(),
        "by_district": [
            {**row, "district_label": District(row["district"]).label}
            for row in enterprises.values("district").annotate(n=Count("id")).order_by("district")
        ],
    }
