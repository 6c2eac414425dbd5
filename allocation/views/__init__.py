"""Allocation pages, one module per sub-domain; thin: permission getter → form → service →
redirect or render."""
