def find_alignment():
    return []
