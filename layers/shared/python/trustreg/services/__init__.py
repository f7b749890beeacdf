"""Use cases, one module each. They know nothing of API Gateway."""
