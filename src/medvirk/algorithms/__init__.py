"""Pure-Python engines (no Django import; checked by import-linter in CI).

Each engine has a library module and a small command-line front end
(``*_cli.py``) that ``medvirk.cli`` dispatches to.
"""
