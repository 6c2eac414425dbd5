"""`{% case_gain case figures components as gain %}`: a verification case's allowance gain,
for the case page (verification cannot import allocation, whose cross-verification gives the
allocation before and after)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def case_gain(case, figures, components) -> selectors.CaseGain:
    """`figures` are the case's emission figures (`verification.selectors.CaseFigures`),
    `components` its gain components."""
    return selectors.case_gain(
        enterprise_id=case.enterprise_id,
        year=case.year,
        emissions_before_t=figures.reported_t,
        emissions_after_t=figures.final_verified_t,
        components=[(c.cause, c.allocation_change_t, c.emissions_change_t) for c in components],
    )
