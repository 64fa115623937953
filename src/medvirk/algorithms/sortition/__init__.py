"""Fair panel lotteries for citizens' assemblies (sortition), published and checkable.

Public API::

    features = read_features("features.csv")
    pool = read_people("people.csv", features)
    lottery = find_lottery(pool, features, 30)   # or algorithm="leximin"
    panel = draw(lottery, seed=20250101)
    verify_lottery(pool, features, 30, published_panels_and_probabilities)

Modules: ``io`` (reading people.csv and features.csv), ``types`` (people grouped by their
feature values), ``highs`` (the HiGHS programs), ``checks`` (quotas no panel can meet),
``fair`` (maximin and leximin), ``expand`` (from types back to named panels), ``lottery``
(the public API above) and ``cli`` (``medvirk sortition``).
"""

from medvirk.algorithms.sortition.io import Features, Pool, read_features, read_people
from medvirk.algorithms.sortition.lottery import (
    ALGORITHMS,
    Draw,
    Lottery,
    SortitionInputError,
    Verification,
    draw,
    draw_from_files,
    find_lottery,
    verify_lottery,
)

__all__ = [
    "ALGORITHMS",
    "Draw",
    "Features",
    "Lottery",
    "Pool",
    "SortitionInputError",
    "Verification",
    "draw",
    "draw_from_files",
    "find_lottery",
    "read_features",
    "read_people",
    "verify_lottery",
]
