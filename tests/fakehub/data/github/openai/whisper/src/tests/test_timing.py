from whisper import timing


def test_alignment():
    assert timing.find_alignment() == []
