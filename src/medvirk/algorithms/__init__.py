"""Pure-Python engines (no Django, no other Medvirk package; checked by import-linter in CI).

One package per engine: ``pb`` (participatory-budget counting), ``sortition`` (fair panel
lotteries), ``opinion_map`` (the Pol.is-style opinion map) and ``text`` (readability and
fødselsnummer detection). Each counting engine has a small command-line front end
(``<engine>.cli``) that ``medvirk.cli`` dispatches to.
"""
