from transformers.models.distilbert import modeling_distilbert


def test_hidden_size():
    assert modeling_distilbert.HIDDEN_SIZE == 768
