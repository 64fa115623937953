"""Medvirk's read-only public API (``/api/v1/``), built on django-ninja.

``v1.api`` is the ``NinjaAPI``; ``queries`` the reads across cases (the only module here that
touches models), each built on the public pages' own definition of what is public;
``schemas`` the documented response shapes. See ``docs/api.md``.
"""
