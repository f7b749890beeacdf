"""Fine-tune BERT on SQuAD."""


def main() -> None:
    print("training")


if __name__ == "__main__":
    main()
