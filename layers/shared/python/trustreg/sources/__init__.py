"""Clients of the upstream sources (HuggingFace Hub, GitHub) behind configurable base URLs."""
