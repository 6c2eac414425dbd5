"""News assistance sends up the floors: receivers above only queue a task."""

from django.dispatch import Signal

# A follow-up's corrected tonnes changed, with `enterprise_id` and `years` (the data years the
# correction counted for before and after): what values the assistance measure recomputes.
follow_up_correction_changed = Signal()
