"""Idétavle (idea board): residents propose topics, others support and comment, and staff
merge, take up and answer each idea (issue 19)."""
