"""How many transfers/licences each demo center counted per finished project year, so the task-5
rule shows every state: carbon meets it (24, 29, 43: 34 % a year), equipment is at risk (22, 24,
27: 11 % a year, the remaining years need more), IT innovation missed year 1 (17)."""

PLANS: dict[str, tuple[int, ...]] = {
    "carbon_materials": (24, 29, 43),
    "high_end_equipment": (22, 24, 27),
    "new_energy_vehicles": (21, 28),
    "it_innovation": (17,),
    "semiconductors": (23,),
}


def planned(industry: str, year: int, current: int, default: int) -> int:
    """The planned count of a finished year, or ``default`` (the running year, unplanned centers)."""
    plan = PLANS.get(industry, ())
    return plan[year - 1] if year < current and year <= len(plan) else default
