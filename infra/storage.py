"""The package bucket (model zips and weights) and the bucket that records who touched it."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.settings import Settings


class Storage(Construct):
    """Private, versioned, TLS-only package storage with access logs."""

    def __init__(self, scope: Construct, cid: str, *, settings: Settings) -> None:
        super().__init__(scope, cid)
        destroy = settings.removal is RemovalPolicy.DESTROY
        # SNAPSHOT is meaningless for S3; anything but destroy keeps the data.
        removal = RemovalPolicy.DESTROY if destroy else RemovalPolicy.RETAIN
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery cannot write to SSE-KMS
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(365))],
            removal_policy=removal,
            auto_delete_objects=destroy,
        )
        NagSuppressions.add_resource_suppressions(
            self.access_logs,
            [
                {
                    "id": "AwsSolutions-S1",
                    "reason": "This is the access-log bucket; logging it into itself would loop.",
                }
            ],
        )
        self.bucket = s3.Bucket(
            self,
            "Packages",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # S3-managed keys: no KMS request charges on every download, and presigned URLs
            # work without granting kms:Decrypt to each reader.
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,  # a bad overwrite or reset can be undone within the window below
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="packages/",
            lifecycle_rules=[
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(7)),
                s3.LifecycleRule(noncurrent_version_expiration=Duration.days(30)),
            ],
            cors=[
                # Browsers upload large packages straight to S3 with presigned PUT URLs.
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                    allowed_origins=list(settings.cors_origins),
                    allowed_headers=["*"],
                    exposed_headers=["ETag"],
                    max_age=3000,
                )
            ],
            removal_policy=removal,
            auto_delete_objects=destroy,
        )
