import tokenization


def test_whitespace_tokenize():
    assert tokenization.whitespace_tokenize("a b") == ["a", "b"]
