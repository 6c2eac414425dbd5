"""Pure arithmetic of the assistance measures: the spot-check draw and progress shares.

No ORM and no request here: the draw is a function of (seed, pools, counts) only, so anyone
holding the published seed and pools recomputes the same result."""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


class DrawError(ValueError):
    """The draw cannot be made with these pools and counts."""


@dataclass(frozen=True)
class DrawResult:
    enterprises: list[int]
    teams: dict[int, list[int]]

    def as_json(self) -> dict:
        """The shape stored on the draw (JSON object keys are strings)."""
        return {
            "drawn_enterprises": list(self.enterprises),
            "teams": {str(e): list(team) for e, team in self.teams.items()},
        }


def draw(
    *,
    seed: int,
    enterprise_pool: list[int],
    inspector_pool: list[int],
    enterprise_count: int,
    inspectors_per_enterprise: int,
) -> DrawResult:
    """Draw `enterprise_count` enterprises, then for each, in drawn order, a team of
    `inspectors_per_enterprise` inspectors, all from one `random.Random(seed)`.

    Both pools are sorted first, so the order in which they were collected does not matter;
    duplicates are dropped. Every enterprise of the pool has the same chance."""
    enterprises = sorted(set(enterprise_pool))
    inspectors = sorted(set(inspector_pool))
    if enterprise_count < 1 or inspectors_per_enterprise < 1:
        raise DrawError("counts must be at least 1")
    if enterprise_count > len(enterprises):
        raise DrawError("more enterprises asked for than the pool holds")
    if inspectors_per_enterprise > len(inspectors):
        raise DrawError("more inspectors asked for than the pool holds")
    rng = random.Random(seed)  # noqa: S311 - reproducibility is the point, not secrecy
    chosen = rng.sample(enterprises, enterprise_count)
    teams = {e: sorted(rng.sample(inspectors, inspectors_per_enterprise)) for e in chosen}
    return DrawResult(enterprises=chosen, teams=teams)


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal place; None when there is no whole."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
