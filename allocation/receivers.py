"""What allocation does when news comes up from the floors below: queue a task, nothing else."""

from django.dispatch import receiver

from verification.signals import case_figures_final

from . import tasks


@receiver(case_figures_final, dispatch_uid="allocation.recompute_on_final_case")
def recompute_on_final_case(sender, *, enterprise_id: int, year: int, **kwargs) -> None:
    """A case's verified figures became final (the signal is sent on commit)."""
    tasks.recompute_positions.delay(year=year, enterprise_ids=[enterprise_id])
