import optimization


def test_learning_rate():
    assert optimization.LEARNING_RATE > 0
