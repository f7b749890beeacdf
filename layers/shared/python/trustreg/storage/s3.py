"""The S3 bucket behind the registry in AWS (SigV4 presigned URLs, streaming transfers)."""

from __future__ import annotations

from typing import Any, BinaryIO

from trustreg.errors import NotFound
from trustreg.storage.base import check_key


class S3BlobStore:
    """Blobs as S3 objects; the client is built once per container."""

    def __init__(self, bucket: str, endpoint_url: str | None, region: str) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self._s3: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3}),
        )

    def put_file(self, key: str, path: str, content_type: str = "application/zip") -> None:
        """Upload a file (multipart for large ones, by boto3's transfer manager)."""
        self._s3.upload_file(
            path, self.bucket, check_key(key), ExtraArgs={"ContentType": content_type}
        )

    def get_to_file(self, key: str, fileobj: BinaryIO) -> None:
        """Stream the object into an open file."""
        from botocore.exceptions import ClientError

        try:
            self._s3.download_fileobj(self.bucket, check_key(key), fileobj)
        except ClientError as exc:
            raise NotFound("the stored package is missing") from exc

    def delete(self, key: str) -> None:
        """Delete an object; a missing one is fine."""
        self._s3.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key: str) -> bool:
        """True when the object exists."""
        from botocore.exceptions import ClientError

        try:
            self._s3.head_object(Bucket=self.bucket, Key=check_key(key))
            return True
        except ClientError:
            return False

    def size(self, key: str) -> int:
        """The object's size in bytes."""
        return int(self._s3.head_object(Bucket=self.bucket, Key=check_key(key))["ContentLength"])

    def download_url(self, key: str, ttl_s: int, filename: str) -> str:
        """A presigned GET URL that downloads as `filename`."""
        return str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": check_key(key),
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=ttl_s,
            )
        )

    def upload_url(self, key: str, ttl_s: int) -> str:
        """A presigned PUT URL for a zip."""
        return str(
            self._s3.generate_presigned_url(
                "put_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": check_key(key),
                    "ContentType": "application/zip",
                },
                ExpiresIn=ttl_s,
            )
        )

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under a prefix, a page (1000 keys) at a time."""
        count = 0
        paginator = self._s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                self._s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                count += len(keys)
        return count

    def stats(self) -> tuple[int, int]:
        """(object count, total bytes), listing at most 10 000 objects."""
        count = size = 0
        paginator = self._s3.get_paginator("list_objects_v2")
        for i, page in enumerate(paginator.paginate(Bucket=self.bucket)):
            for o in page.get("Contents", []):
                count += 1
                size += int(o["Size"])
            if i >= 9:
                break
        return count, size
