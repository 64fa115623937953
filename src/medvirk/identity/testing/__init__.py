"""Test helpers for identity: a small local OpenID provider (never used in production)."""
