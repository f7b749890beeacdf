"""run_squad entry point (stub of the real script)."""

import modeling

MODEL = modeling
