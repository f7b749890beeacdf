"""Adam with weight decay, as used for BERT pretraining and fine-tuning."""

LEARNING_RATE = 1e-4
