"""The Node.js Lambda that runs an uploader's sensitive-check program before each download.

functions/sensitive_check (index.mjs + guard.cjs) receives {program, args, zip: {bucket, key},
timeout_ms} from trustreg.security.lambda_runner.LambdaRunner, copies the zip from the package
bucket to /tmp and runs the program as a confined child `node`. The uploader's code is
untrusted, so the function is boxed in by the platform as well as by guard.cjs:

- isolated subnets (no NAT, no internet gateway) and a security group whose only egress is
  HTTPS to the regional S3 prefix list (through the VPC's gateway endpoint);
- a role that can read `artifacts/*` of the package bucket and write its own log group, plus
  the ENI rights Lambda needs for VPC placement: no secrets, no database, no other bucket;
- a short timeout, small memory and (with `reservedConcurrency`) a concurrency cap, so a flood of
  downloads of a sensitive model throttles this function instead of the account.

Only `artifact_download` may invoke it (an explicit statement on this function's ARN, no
versions or aliases), and it alone receives SENSITIVE_CHECK_FUNCTION.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, Size, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.network import Network
from infra.settings import Settings

FUNCTION_NAME = "sensitive_check"
INVOKER = "artifact_download"
# Node 22: index.mjs passes `--experimental-permission` to the child, which Node 22 still accepts
# (as an alias of `--permission`) and Node 24 rejects; Node 20 can no longer be deployed.
RUNTIME = lambda_.Runtime.NODEJS_22_X
# The program's wall clock; the download function passes it as SENSITIVE_CHECK_TIMEOUT_S and the
# runner sends it as timeout_ms. index.mjs caps it at 60 s.
SENSITIVE_CHECK_TIMEOUT_S = 5
# On top of the program: cold start and the S3 GetObject of the package (up to MAX_BUNDLE_BYTES,
# 500 MiB, over the gateway endpoint). The runner's read timeout is the program timeout + 30 s.
FETCH_BUDGET_S = 10
TIMEOUT_S = SENSITIVE_CHECK_TIMEOUT_S + FETCH_BUDGET_S
# The child's V8 heap is capped at 128 MB; 512 MB leaves room for the parent and buys CPU (Lambda
# allots CPU by memory, and the uploader's program races a 5 s wall clock).
MEMORY_MB = 512
CHILD_HEAP_MB = 128
# The package is copied to /tmp; the default 512 MB is smaller than the largest package.
EPHEMERAL_MB = 1024
# Applied with the `reservedConcurrency` setting, like every other reservation.
RESERVED_CONCURRENCY = 10
# The construct id CDK gives the single function behind every AwsCustomResource in a stack.
AWS_CUSTOM_RESOURCE_SINGLETON = "AWS679f53fac002430cb0da5b7982bd2287"
# The object prefix every package and part zip lives under (trustreg/services/registration.py).
ARTIFACT_PREFIX = "artifacts/"
# What Lambda needs to attach a function to the VPC (AWSLambdaVPCAccessExecutionRole's EC2 part).
ENI_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)


class SensitiveCheck(Construct):
    """The check function, its network box and role; `grant_invoke_to` wires the download."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        functions_root: Path,
        network: Network,
        bucket: s3.IBucket,
        architecture: lambda_.Architecture,
    ) -> None:
        super().__init__(scope, cid)
        code_dir = functions_root / FUNCTION_NAME
        for name in ("index.mjs", "guard.cjs"):
            if not (code_dir / name).is_file():
                raise FileNotFoundError(f"function {FUNCTION_NAME!r} has no {code_dir / name}")
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"{settings.log_group_prefix}{FUNCTION_NAME}",
            retention=settings.log_retention,
            removal_policy=settings.removal,
        )
        self.security_group = ec2.SecurityGroup(
            self,
            "Sg",
            vpc=network.vpc,
            allow_all_outbound=False,
            description="Sensitive check: HTTPS to S3 (gateway endpoint) only, nothing inbound",
        )
        self.security_group.add_egress_rule(
            ec2.Peer.prefix_list(self._s3_prefix_list_id(settings)),
            ec2.Port.tcp(443),
            "S3 through the gateway endpoint",
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Sensitive check: read package zips, write its own logs",
            # Inline in the role resource, so the function never exists without its VPC rights.
            inline_policies={
                "SensitiveCheck": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            sid="ReadPackages",
                            actions=["s3:GetObject"],
                            resources=[bucket.arn_for_objects(f"{ARTIFACT_PREFIX}*")],
                        ),
                        iam.PolicyStatement(
                            sid="OwnLogs",
                            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                            resources=[self.log_group.log_group_arn],
                        ),
                        iam.PolicyStatement(
                            sid="VpcNetworkInterfaces",
                            actions=list(ENI_ACTIONS),
                            resources=["*"],
                        ),
                    ]
                )
            },
        )
        self.function = lambda_.Function(
            self,
            "Function",
            code=lambda_.Code.from_asset(str(code_dir)),
            handler="index.handler",
            runtime=RUNTIME,
            architecture=architecture,
            memory_size=MEMORY_MB,
            ephemeral_storage_size=Size.mebibytes(EPHEMERAL_MB),
            timeout=Duration.seconds(TIMEOUT_S),
            environment={"SENSITIVE_CHECK_HEAP_MB": str(CHILD_HEAP_MB)},
            description=f"TrustReg {settings.env_name}: runs sensitive-model check programs",
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            # No X-Ray: it would add xray:PutTraceSegments to the role for a span the caller's
            # trace already shows (the invoke from artifact_download).
            tracing=lambda_.Tracing.DISABLED,
            reserved_concurrent_executions=(
                RESERVED_CONCURRENCY if settings.reserved_concurrency else None
            ),
            vpc=network.vpc,
            vpc_subnets=network.isolated,
            security_groups=[self.security_group],
        )
        # CloudFormation strips the group's default allow-all egress only once the S3 rule (a
        # separate resource: the prefix list id is a deploy-time value) exists; wait for it.
        self.function.node.add_dependency(self.security_group)
        # Whatever reaches the VPC's Lambda endpoint can invoke this function and nothing else.
        network.lambda_endpoint.add_to_policy(
            iam.PolicyStatement(
                principals=[iam.AnyPrincipal()],
                actions=["lambda:InvokeFunction"],
                resources=[self.function.function_arn],
            )
        )
        self._suppress()

    def grant_invoke_to(self, fn: lambda_.Function) -> None:
        """lambda:InvokeFunction on exactly this function, and the runner's settings."""
        fn.add_to_role_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"], resources=[self.function.function_arn]
            )
        )
        fn.add_environment("SENSITIVE_CHECK_FUNCTION", self.function.function_name)
        fn.add_environment("SENSITIVE_CHECK_TIMEOUT_S", str(SENSITIVE_CHECK_TIMEOUT_S))

    def _s3_prefix_list_id(self, settings: Settings) -> str:
        """The region's S3 prefix list id (pl-...), looked up at deploy time.

        The id differs per region and CloudFormation exposes it nowhere, and a synth-time
        lookup would tie the template to one account; an SDK call at deploy time keeps synth
        offline and the template region-agnostic.
        """
        lookup = cr.AwsCustomResource(
            self,
            "S3PrefixList",
            on_update=cr.AwsSdkCall(
                service="EC2",
                action="describeManagedPrefixLists",
                parameters={
                    "Filters": [
                        {
                            "Name": "prefix-list-name",
                            "Values": [ec2.GatewayVpcEndpointAwsService.S3.name],
                        }
                    ]
                },
                physical_resource_id=cr.PhysicalResourceId.of("trustreg-s3-prefix-list"),
                output_paths=["PrefixLists.0.PrefixListId"],
            ),
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["ec2:DescribeManagedPrefixLists"], resources=["*"])]
            ),
            install_latest_aws_sdk=False,
            log_group=logs.LogGroup(
                self,
                "S3PrefixListLogs",
                retention=settings.log_retention,
                removal_policy=settings.removal,
            ),
        )
        NagSuppressions.add_resource_suppressions(
            lookup,
            [
                {
                    "id": "AwsSolutions-IAM5",
                    "reason": "ec2:DescribeManagedPrefixLists has no resource-level "
                    "permissions; the lookup only reads the AWS-managed S3 prefix list id.",
                    "applies_to": ["Resource::*"],
                }
            ],
            apply_to_children=True,
        )
        # AwsCustomResource's one shared function sits at the stack root, outside this construct.
        singleton = Stack.of(self).node.find_child(AWS_CUSTOM_RESOURCE_SINGLETON)
        NagSuppressions.add_resource_suppressions(
            singleton,
            [
                {
                    "id": "AwsSolutions-L1",
                    "reason": "CDK's AwsCustomResource handler; CDK owns and updates its runtime.",
                },
                {
                    "id": "AwsSolutions-IAM4",
                    "reason": "CDK's AwsCustomResource handler logs through "
                    "AWSLambdaBasicExecutionRole; its only other right is the lookup above.",
                    "applies_to": [
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        "AWSLambdaBasicExecutionRole"
                    ],
                },
            ],
            apply_to_children=True,
        )
        return lookup.get_response_field("PrefixLists.0.PrefixListId")

    def _suppress(self) -> None:
        NagSuppressions.add_resource_suppressions(
            self.function,
            [
                {
                    "id": "AwsSolutions-L1",
                    "reason": "Pinned to Node.js 22: index.mjs starts the child with "
                    "--experimental-permission, which Node 24 no longer accepts; move to 24 "
                    "together with switching the flag to --permission.",
                }
            ],
        )
        NagSuppressions.add_resource_suppressions(
            self.role,
            [
                {
                    "id": "AwsSolutions-IAM5",
                    "reason": "s3:GetObject on the package bucket's artifacts/ prefix (every "
                    "package and part zip, never uploads/ or other buckets), and the EC2 "
                    "network-interface actions Lambda needs for VPC placement, which have no "
                    "resource-level permissions.",
                    "applies_to": [
                        "Resource::*",
                        {"regex": "/^Resource::<.*Packages.*\\.Arn>/artifacts/\\*$/"},
                    ],
                }
            ],
        )
