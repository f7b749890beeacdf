"""Passwords, tokens and permissions."""
