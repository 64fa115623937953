"""Settings: ``base`` holds everything, ``dev``/``test``/``production`` adjust it."""
