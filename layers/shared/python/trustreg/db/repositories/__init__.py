"""Repositories: the only code that issues queries."""
