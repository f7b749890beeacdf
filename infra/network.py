"""The VPC: isolated subnets for the database, private subnets with NAT for internet fetchers."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.settings import Settings


class Network(Construct):
    """VPC, endpoints and the security group every in-VPC function wears."""

    def __init__(self, scope: Construct, cid: str, *, settings: Settings) -> None:
        super().__init__(scope, cid)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=settings.max_azs,
            # One NAT by default: the only egress is HuggingFace/GitHub fetches during ingest,
            # and a NAT per AZ doubles the largest idle cost for little gain outside prod.
            nat_gateways=settings.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC),
                ec2.SubnetConfiguration(
                    name="egress", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
                ),
                ec2.SubnetConfiguration(
                    name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED
                ),
            ],
        )
        # Rejected flows only: enough to debug a security-group mistake, cheap at idle.
        flow_logs = logs.LogGroup(
            self,
            "FlowLogs",
            retention=settings.log_retention,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.vpc.add_flow_log(
            "RejectedFlows",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
            traffic_type=ec2.FlowLogTrafficType.REJECT,
        )
        # S3 through a free gateway endpoint so isolated functions reach the bucket.
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
        self.function_sg = ec2.SecurityGroup(
            self,
            "FunctionSg",
            vpc=self.vpc,
            description="Lambda functions: outbound only (proxy, endpoints, NAT)",
            allow_all_outbound=True,
        )
        # Isolated functions read the JWT secret; without this endpoint they would need NAT.
        secrets_endpoint = self.vpc.add_interface_endpoint(
            "SecretsManager",
            service=ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
            subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            private_dns_enabled=True,
        )
        # The download function invokes the sensitive-check Lambda from an isolated subnet. Only
        # the function security group may connect, and the endpoint policy (added by
        # infra/sensitive_check.py) allows nothing but invoking that one function.
        self.lambda_endpoint = self.vpc.add_interface_endpoint(
            "Lambda",
            service=ec2.InterfaceVpcEndpointAwsService.LAMBDA_,
            subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            private_dns_enabled=True,
            open=False,
        )
        self.lambda_endpoint.connections.allow_default_port_from(
            self.function_sg, "functions to the Lambda API"
        )
        NagSuppressions.add_resource_suppressions(
            secrets_endpoint,
            [
                {
                    "id": "CdkNagValidationFailure",
                    "reason": "EC23 cannot evaluate the endpoint's ingress, which CDK scopes to "
                    "the VPC's own CIDR (a token) on 443, not to 0.0.0.0/0.",
                }
            ],
            apply_to_children=True,
        )

    @property
    def isolated(self) -> ec2.SubnetSelection:
        """Subnets with no route to the internet: the database, the proxy, most functions."""
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)

    @property
    def egress(self) -> ec2.SubnetSelection:
        """Subnets that reach the internet through NAT: ingest and license-check functions."""
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
