"""Local development: the API served on a laptop through the real Lambda handlers."""
