"""Innbyggjarforslag (kommuneloven § 12-1): residents propose, sign with e-ID or on paper,
and the council takes a position with reasons. See docs/methods/initiative.md."""
