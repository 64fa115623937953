"""Norsk nynorsk: the same formats as bokmål ("2. januar 2027", "02.01.2027"); the month
names come from the nn translations."""

from medvirk.formats.nb.formats import *  # noqa: F403
