"""How every Lambda is built: one runtime, one architecture, the layer, JSON logs, a log group."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration, Size
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.assets import function_dir, layer_asset_dir
from infra.settings import Settings

# The layer is built for exactly this interpreter (infra/build_layer.py --python-version 3.12).
RUNTIME = lambda_.Runtime.PYTHON_3_12


@dataclass(frozen=True)
class FunctionSpec:
    """What differs between two functions; everything else is decided once, here."""

    name: str  # the folder under functions/, and the construct id
    memory_mb: int
    timeout_s: int
    environment: dict[str, str]
    subnets: ec2.SubnetSelection | None  # None: outside the VPC (needs neither DB nor NAT)
    reserved_concurrency: int | None = None
    description: str = ""
    ephemeral_storage_mb: int = 512  # Lambda's default /tmp


class FunctionFactory(Construct):
    """Owns the shared layer and turns a FunctionSpec into a Lambda with its own log group."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        functions_root: Path,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
    ) -> None:
        super().__init__(scope, cid)
        self._settings = settings
        self._root = functions_root
        self._vpc = vpc
        self._sg = security_group
        self.architecture = (
            lambda_.Architecture.ARM_64
            if settings.architecture == "arm64"
            else lambda_.Architecture.X86_64
        )
        self.layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(layer_asset_dir())),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[self.architecture],
            description="trustreg package and its dependencies (boto3 comes from the runtime)",
        )
        self.functions: dict[str, lambda_.Function] = {}
        self.log_groups: dict[str, logs.LogGroup] = {}

    def add(self, spec: FunctionSpec) -> lambda_.Function:
        """A function from functions/<spec.name>/handler.py with handler `handler.handler`."""
        log_group = logs.LogGroup(
            self,
            f"{spec.name}-logs",
            # A predictable name, so /health/components can link to it (LOG_GROUP_PREFIX).
            log_group_name=f"{self._settings.log_group_prefix}{spec.name}",
            retention=self._settings.log_retention,
            removal_policy=self._settings.removal,
        )
        fn = lambda_.Function(
            self,
            spec.name,
            code=lambda_.Code.from_asset(str(function_dir(self._root, spec.name))),
            handler="handler.handler",
            runtime=RUNTIME,
            architecture=self.architecture,
            layers=[self.layer],
            memory_size=spec.memory_mb,
            ephemeral_storage_size=Size.mebibytes(spec.ephemeral_storage_mb),
            timeout=Duration.seconds(spec.timeout_s),
            environment=spec.environment,
            description=spec.description or f"TrustReg {self._settings.env_name}: {spec.name}",
            log_group=log_group,
            # Lambda's JSON format keeps platform lines parseable next to Powertools' JSON.
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            tracing=lambda_.Tracing.ACTIVE if self._settings.tracing else lambda_.Tracing.DISABLED,
            reserved_concurrent_executions=(
                spec.reserved_concurrency if self._settings.reserved_concurrency else None
            ),
            vpc=self._vpc if spec.subnets else None,
            vpc_subnets=spec.subnets,
            security_groups=[self._sg] if spec.subnets else None,
            # No retry_attempts: it only configures *asynchronous* invokes, which nothing here
            # makes (API Gateway and the Provider framework invoke synchronously, and Lambda
            # never retries those), yet costs one EventInvokeConfig resource per function
            # against CloudFormation's 500-resource stack limit.
        )
        self._suppress(fn)
        self.functions[spec.name] = fn
        self.log_groups[spec.name] = log_group
        return fn

    @staticmethod
    def _suppress(fn: lambda_.Function) -> None:
        NagSuppressions.add_resource_suppressions(
            fn,
            [
                {
                    "id": "AwsSolutions-L1",
                    "reason": "Pinned to Python 3.12 on purpose: the layer's binary wheels "
                    "(psycopg2, bcrypt, re2) are built for cp312; move both together.",
                },
            ],
        )
        NagSuppressions.add_resource_suppressions(
            fn.role,
            [
                {
                    "id": "AwsSolutions-IAM4",
                    "reason": "AWS managed basic-execution/VPC-access policies: log writing and "
                    "ENI management, which AWS keeps current; no data access.",
                    "applies_to": [
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        "AWSLambdaBasicExecutionRole",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        "AWSLambdaVPCAccessExecutionRole",
                    ],
                },
                {
                    "id": "AwsSolutions-IAM5",
                    "reason": "Wildcards come from CDK grants scoped to this stack's bucket "
                    "objects (s3:GetObject* on <bucket>/*) and X-Ray's PutTraceSegments, "
                    "which has no resource-level permissions.",
                    "applies_to": [
                        "Resource::*",
                        "Action::s3:GetBucket*",
                        "Action::s3:GetObject*",
                        "Action::s3:List*",
                        "Action::s3:DeleteObject*",
                        "Action::s3:Abort*",
                        {"regex": "/^Resource::<.*Packages.*\\.Arn>/\\*$/"},
                    ],
                },
            ],
            apply_to_children=True,
        )
