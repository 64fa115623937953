"""Medvirk's own date and time formats per language (``FORMAT_MODULE_PATH``).

Django's English formats are American (``m/d/Y``, "Jan. 2, 2027"); Medvirk's English pages
are read in Norway, so English uses day-month order and ISO dates. Bokmål and nynorsk use
the Norwegian forms ("2. januar 2027", "02.01.2027"). Only the names defined here change;
everything else (decimal separators …) falls through to Django's formats for the language.
"""
