"""Participatory budgeting (deltakende budsjettering): a method plug-in."""
