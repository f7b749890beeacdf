import modeling


def test_gelu():
    assert modeling.gelu(1) == 1
