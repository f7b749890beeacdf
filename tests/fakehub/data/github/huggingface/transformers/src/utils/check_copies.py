"""Checks that copied code blocks stay in sync (stub)."""
