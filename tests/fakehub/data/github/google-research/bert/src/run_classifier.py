import modeling

ACTIVATION = modeling.gelu
