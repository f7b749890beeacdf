"""A fake HuggingFace Hub + GitHub REST API on loopback, serving the shipped fixture repos."""

from tests.fakehub.server import FakeHub

__all__ = ["FakeHub"]
