"""Public pages, above the core: the case page, its input, open data and method instances."""
