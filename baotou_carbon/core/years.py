"""The reporting years the system accepts, named once for models, forms, the API and URLs.

China's pilot emissions trading schemes began collecting data in 2013; the upper bound only
keeps typing mistakes out (a year 9999 would break date arithmetic on every page showing it).
"""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 2013
LAST_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def is_reporting_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR
