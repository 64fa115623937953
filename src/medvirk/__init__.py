"""Medvirk: citizen participation for Norwegian municipalities."""
