"""Participatory-budget counting engine (Pabulib ``.pb`` files; greedy and Equal Shares).

Public API::

    election = read_pb("instance.pb")
    result = count(election, "equal-shares")   # or "greedy"
    result.selected, result.cost, result.as_json()

Modules, each importing only those listed before it: ``format`` (the file format),
``results`` (per-project results and their explanations), ``greedy`` (the greedy rule and
completion), ``mes`` (the fast exact Method of Equal Shares), ``equal_shares`` (Equal
Shares with the Add1 completion), ``rules`` (the rule names and :func:`count`) and ``cli``
(``medvirk pb``). The outcomes equal pabutools 1.2.3's, including its tie-breaking by
project id compared as text ("10" before "2").
"""

from medvirk.algorithms.pb.format import (
    Election,
    PbFormatError,
    Project,
    election_to_text,
    parse_pb,
    read_pb,
    write_pb,
)
from medvirk.algorithms.pb.results import PbResult, ProjectResult
from medvirk.algorithms.pb.rules import RULES, count

__all__ = [
    "RULES",
    "Election",
    "PbFormatError",
    "PbResult",
    "Project",
    "ProjectResult",
    "count",
    "election_to_text",
    "parse_pb",
    "read_pb",
    "write_pb",
]
