"""create_pretraining_data entry point (stub of the real script)."""

import modeling

MODEL = modeling
