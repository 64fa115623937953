"""Participatory-budget counting engine (Pabulib ``.pb`` files; greedy and Equal Shares).

Public API::

    election = read_pb("instance.pb")
    result = count(election, "equal-shares")   # or "greedy"
    result.selected, result.cost, result.as_json()

See ``pb_format`` (the file format), ``pb_rules`` (greedy, results and explanations),
``pb_equal_shares`` (Equal Shares with the Add1 completion) and ``pb_mes`` (the fast exact
Method of Equal Shares). The outcomes equal pabutools 1.2.3's, including its tie-breaking
by project id compared as text ("10" before "2").
"""

from medvirk.algorithms.pb_format import (
    Election,
    PbFormatError,
    Project,
    election_to_text,
    parse_pb,
    read_pb,
    write_pb,
)
from medvirk.algorithms.pb_rules import RULES, PbResult, ProjectResult, count

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
