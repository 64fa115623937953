"""The smallest working method plug-in: residents hand in a short idea.

It lives under ``tests/`` and is installed only by ``tests/contract/test_example_method.py``,
which proves that a method can do everything the core offers from its own folder.
``docs/methods/README.md`` points here as the example to copy.
"""
