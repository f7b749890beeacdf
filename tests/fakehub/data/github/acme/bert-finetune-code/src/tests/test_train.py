import train


def test_main(capsys):
    train.main()
    assert "training" in capsys.readouterr().out
