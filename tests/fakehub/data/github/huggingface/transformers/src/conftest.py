# Shared pytest configuration for the test suite.
