"""Strings that third-party templates translate at run time but whose packages ship without
a zh-hans translation; listed here so `make messages` puts them in our catalogue."""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("Table navigation"),  # django-tables2's bootstrap5 pagination
]
