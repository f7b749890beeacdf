"""What a validated package contains, with finders for the files the registry reads first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ZipEntry:
    """One file in the package: its full name, uncompressed size and compressed size."""

    name: str
    size: int
    compressed: int


@dataclass(frozen=True)
class ZipSummary:
    """The files of a validated package (folders omitted) and their common top folder."""

    entries: tuple[ZipEntry, ...]
    total_size: int
    prefix: str = ""  # e.g. "bert-base/" when every file sits under one folder, else ""

    def relative(self, entry: ZipEntry) -> str:
        """Return the entry's name with the common top folder removed."""
        return entry.name[len(self.prefix) :]

    def find(self, relative_name: str) -> ZipEntry | None:
        """Return the entry at `relative_name` below the prefix (case-insensitive), if any."""
        wanted = relative_name.lower()
        for entry in self.entries:
            if self.relative(entry).lower() == wanted:
                return entry
        return None

    @property
    def model_card(self) -> ZipEntry | None:
        """The top-level README.md, which Hugging Face treats as the model card."""
        return self.find("README.md")

    @property
    def config(self) -> ZipEntry | None:
        """The top-level config.json (architecture and hyper-parameters), if present."""
        return self.find("config.json")


def common_prefix(names: list[str]) -> str:
    """Return "<folder>/" when every file lives below the same top folder, else ""."""
    if not names:
        return ""
    heads = {name.split("/", 1)[0] for name in names}
    if len(heads) != 1 or any("/" not in name for name in names):
        return ""
    return heads.pop() + "/"
