def whitespace_tokenize(text):
    return text.split()
