"""Kartinnspel: map input in the style of Barnetråkk (points, routes and areas in categories,
a list alternative, class mode with codes, heat maps and route density)."""
