"""What allocation does when news comes up from the floors below: queue a task, nothing else."""

from django.dispatch import receiver

from assistance.signals import follow_up_correction_changed
from verification.signals import case_figures_final

from . import tasks


@receiver(case_figures_final, dispatch_uid="allocation.recompute_on_final_case")
def recompute_on_final_case(sender, *, enterprise_id: int, year: int, **kwargs) -> None:
    """A case's verified figures became final (the signal is sent on commit): its position and
    the verification measure's savings."""
    tasks.recompute_positions.delay(year=year, enterprise_ids=[enterprise_id])
    tasks.recompute_savings.delay(year=year, enterprise_ids=[enterprise_id])


@receiver(follow_up_correction_changed, dispatch_uid="allocation.recompute_on_correction")
def recompute_on_correction(sender, *, enterprise_id: int, years: list[int], **kwargs) -> None:
    """A follow-up's corrected tonnes changed (sent on commit): the assistance measure."""
    for year in years:
        tasks.recompute_savings.delay(year=year, enterprise_ids=[enterprise_id])
