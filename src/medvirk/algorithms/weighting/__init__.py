"""Post-stratification weights (raking) for answers from a panel draw; see ``raking``."""

from medvirk.algorithms.weighting.raking import (
    GroupWeight,
    WeightingError,
    cell_weights,
    group_weights,
    rake,
)

__all__ = ["GroupWeight", "WeightingError", "cell_weights", "group_weights", "rake"]
