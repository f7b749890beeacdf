"""DistilBERT model (stub)."""

HIDDEN_SIZE = 768
