"""Given card texts, when parsed, then metadata, body, links and code blocks come out right."""

from __future__ import annotations

from trustreg.sources.model_card import find_code_blocks, find_github_urls, parse_model_card


def test_front_matter_is_split_from_the_body():
    card = parse_model_card("---\nlicense: mit\ndatasets:\n- squad\n---\n# Title\ntext\n")
    assert card.metadata == {"license": "mit", "datasets": ["squad"]}
    assert card.body == "# Title\ntext\n" and not card.malformed


def test_no_header_means_no_metadata_and_not_malformed():
    card = parse_model_card("# Just a readme\n---\nlicense: mit\n")
    assert card.metadata == {} and card.body.startswith("# Just") and not card.malformed


def test_bad_yaml_or_a_non_mapping_header_is_flagged_malformed():
    for text in (
        "---\nlicense: [mit\n---\nbody",
        "---\n- a\n- b\n---\nbody",
        "---\nlicense: mit\n",
    ):
        card = parse_model_card(text)
        assert card.malformed and card.metadata == {}
    assert parse_model_card("---\nlicense: [mit\n---\nbody").body == "body"


def test_empty_header_and_bom_are_tolerated():
    assert parse_model_card("\ufeff---\n---\nhello").body == "hello"
    assert not parse_model_card("---\n\n---\nhello").malformed


def test_github_urls_come_from_metadata_and_body_once_each():
    metadata = {"model-index": [{"source": {"url": "https://github.com/acme/train-code"}}]}
    text = (
        "See https://github.com/google-research/bert.git and "
        "[code](https://github.com/Google-Research/bert) or https://github.com/topics/nlp."
    )
    assert find_github_urls(text, metadata) == [
        "https://github.com/acme/train-code",
        "https://github.com/google-research/bert",
    ]


def test_code_blocks_keep_their_language():
    text = "intro\n```python\nimport x\n```\n\n~~~\nplain\n~~~\n```Bash title\nls\n```\n"
    assert find_code_blocks(text) == [("python", "import x\n"), ("", "plain\n"), ("bash", "ls\n")]
