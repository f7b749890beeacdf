"""Model packages: validate an uploaded zip, then cut it into downloadable parts."""

from trustreg.packaging.limits import ZipLimits
from trustreg.packaging.parts import PARTS, PartSummary, classify, write_part
from trustreg.packaging.streams import sha256_file
from trustreg.packaging.summary import ZipEntry, ZipSummary
from trustreg.packaging.zipcheck import validate_zip

__all__ = [
    "PARTS",
    "PartSummary",
    "ZipEntry",
    "ZipLimits",
    "ZipSummary",
    "classify",
    "sha256_file",
    "validate_zip",
    "write_part",
]
