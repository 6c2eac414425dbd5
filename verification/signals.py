"""News verification sends up the floors: receivers above only queue a task."""

from django.dispatch import Signal

# A case's figures became final (its conclusion was drawn, or a re-review decided), with
# `enterprise_id` and `year`: what reads verified emissions recomputes.
case_figures_final = Signal()
