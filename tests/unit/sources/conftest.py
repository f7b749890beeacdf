"""The fake hub fixtures for the source-client tests."""

from tests.fakehub.fixtures import fake_hub, fake_hub_server, hub_env  # noqa: F401
