"""Opinion map (Pol.is-style): opinion groups, what sets each apart, and common ground.

The public API is in ``engine`` (``build_opinion_map``, ``OpinionMap``, ...). Modules:
``io`` (reading Pol.is exports), ``matrix`` (vote matrix and two-dimensional projection),
``clusters`` (k-means and silhouette), ``stats`` (representative statements and
consensus), ``engine`` (the pipeline), ``synthetic`` (generated conversations for tests
and benchmarks) and ``cli`` (``medvirk opinion-map``).

This package imports nothing itself: ``cli`` must set numpy's thread settings before
numpy loads, and importing ``medvirk.algorithms.opinion_map.cli`` runs this file first.
"""
