"""PostgreSQL behind RDS Proxy: the proxy takes IAM tokens over TLS, the app is a small role."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.network import Network
from infra.settings import Settings

DB_NAME = "registry"
DB_PORT = 5432
MASTER_USER = "registry_admin"
# The least-privilege role the functions use; created and granted by the migrations step.
APP_USER = "registry_app"
_EXCLUDED = " %+~`#$&*()|[]{}:;<>?!'/@\"\\"


class Database(Construct):
    """The instance, its credentials and the proxy the functions connect through."""

    def __init__(self, scope: Construct, cid: str, *, settings: Settings, network: Network) -> None:
        super().__init__(scope, cid)
        self.master_secret = rds.DatabaseSecret(
            self, "MasterSecret", username=MASTER_USER, exclude_characters=_EXCLUDED
        )
        # The proxy logs in to PostgreSQL as registry_app with this password; clients never
        # see it (they present IAM tokens to the proxy instead).
        self.app_secret = rds.DatabaseSecret(
            self, "AppUserSecret", username=APP_USER, exclude_characters=_EXCLUDED
        )
        # Name the instance so its log group can be ours (with retention) rather than CDK's
        # LogRetention helper Lambda, which would be one more function to patch and police.
        identifier = f"trustreg-{settings.env_name}"
        self.logs = logs.LogGroup(
            self,
            "PostgresLogs",
            log_group_name=f"/aws/rds/instance/{identifier}/postgresql",
            retention=settings.log_retention,
            removal_policy=settings.removal,
        )
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
            instance_type=ec2.InstanceType(settings.db_instance_type),
            credentials=rds.Credentials.from_secret(self.master_secret),
            database_name=DB_NAME,
            port=DB_PORT,
            vpc=network.vpc,
            vpc_subnets=network.isolated,
            publicly_accessible=False,
            storage_encrypted=True,
            allocated_storage=settings.db_allocated_storage_gb,
            storage_type=rds.StorageType.GP3,
            multi_az=settings.db_multi_az,
            backup_retention=Duration.days(settings.db_backup_retention_days),
            deletion_protection=settings.db_deletion_protection,
            removal_policy=settings.removal,
            auto_minor_version_upgrade=True,
            instance_identifier=identifier,
            cloudwatch_logs_exports=["postgresql"],
            # Only the proxy may talk to the instance; its security group opens nothing else.
            security_groups=[
                ec2.SecurityGroup(
                    self,
                    "InstanceSg",
                    vpc=network.vpc,
                    allow_all_outbound=False,
                    description="PostgreSQL: the DB port from the proxy only",
                )
            ],
        )
        self.instance.node.add_dependency(self.logs)
        proxy_sg = ec2.SecurityGroup(
            self,
            "ProxySg",
            vpc=network.vpc,
            allow_all_outbound=False,
            description="RDS Proxy: the proxy port from the functions only",
        )
        self.proxy = rds.DatabaseProxy(
            self,
            "Proxy",
            proxy_target=rds.ProxyTarget.from_instance(self.instance),
            secrets=[self.master_secret, self.app_secret],
            vpc=network.vpc,
            vpc_subnets=network.isolated,
            security_groups=[proxy_sg],
            iam_auth=True,
            require_tls=True,
            # Lambda scales out fast; the proxy keeps the instance under its connection limit.
            max_connections_percent=90,
            idle_client_timeout=Duration.minutes(5),
        )
        # ProxyTarget.from_instance already opened the DB port on the instance to proxy_sg.
        self.proxy.connections.allow_from(
            network.function_sg, ec2.Port.tcp(DB_PORT), "functions to the proxy"
        )
        NagSuppressions.add_resource_suppressions(
            [self.master_secret, self.app_secret],
            [
                {
                    "id": "AwsSolutions-SMG4",
                    "reason": "RDS Proxy caches these credentials; a rotation Lambda would need "
                    "its own network path and the app never uses them (IAM tokens instead). "
                    "Manual rotation is documented in docs/deploy.md.",
                }
            ],
        )
        NagSuppressions.add_resource_suppressions(
            self.instance,
            [
                {
                    "id": "AwsSolutions-RDS11",
                    "reason": "The default port is reachable only from the proxy's security "
                    "group; a non-standard port adds no protection here.",
                },
                *(
                    []
                    if settings.db_multi_az
                    else [
                        {
                            "id": "AwsSolutions-RDS3",
                            "reason": f"Multi-AZ is a setting; off in {settings.env_name} to "
                            "halve the idle cost (automated backups still run).",
                        }
                    ]
                ),
                *(
                    []
                    if settings.db_deletion_protection
                    else [
                        {
                            "id": "AwsSolutions-RDS10",
                            "reason": f"Deletion protection is a setting; off in "
                            f"{settings.env_name} so throwaway stacks can be torn down.",
                        }
                    ]
                ),
            ],
        )

    def grant_connect(self, grantee: iam.IGrantable, user: str = APP_USER) -> None:
        """rds-db:connect on the proxy for one database user (IAM auth)."""
        self.proxy.grant_connect(grantee, user)
