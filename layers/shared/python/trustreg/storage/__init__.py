"""Blob storage: S3 in AWS, a local folder on a laptop, behind one small interface."""

from __future__ import annotations

from functools import lru_cache

from trustreg.config import get_settings
from trustreg.storage.base import BlobStore


@lru_cache(maxsize=1)
def get_blob_store() -> BlobStore:
    """The configured store: S3 when BLOB_BUCKET is set, else the local blob folder."""
    settings = get_settings()
    if settings.blob_bucket:
        from trustreg.storage.s3 import S3BlobStore

        return S3BlobStore(settings.blob_bucket, settings.s3_endpoint_url, settings.aws_region)
    from trustreg.storage.local import LocalBlobStore

    return LocalBlobStore(settings.blob_dir, settings.local_signing_key, settings.public_base_url)


def reset_blob_store() -> None:
    """Forget the cached store (tests switch configuration)."""
    get_blob_store.cache_clear()
