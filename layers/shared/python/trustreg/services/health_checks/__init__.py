"""One module per health component; `services.health_components` assembles their reports."""
