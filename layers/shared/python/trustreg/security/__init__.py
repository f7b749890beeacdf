"""Security controls: the sensitive-model check sandbox and the package-confusion audit."""
