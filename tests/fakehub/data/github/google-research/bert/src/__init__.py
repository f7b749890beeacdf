# Lets the repository be imported as a package (`from bert import modeling`).
