"""Schema migrations as a custom resource, so a deploy fails if its migrations fail."""

from __future__ import annotations

from aws_cdk import CustomResource
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.assets import migrations_hash
from infra.database import APP_USER, MASTER_USER, Database
from infra.functions import FunctionFactory, FunctionSpec
from infra.network import Network
from infra.runtime_config import RuntimeConfig
from infra.secrets import AppSecrets
from infra.settings import Settings

FUNCTION_NAME = "db_migrate"


class Migrations(Construct):
    """functions/db_migrate behind the Provider framework, re-run when migrations change."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        factory: FunctionFactory,
        config: RuntimeConfig,
        network: Network,
        database: Database,
        secrets: AppSecrets,
    ) -> None:
        super().__init__(scope, cid)
        environment = config.environment(
            database=True, blob=False, jwt=False, admin_password=True, db_user=MASTER_USER
        ) | {"APP_DB_USER": APP_USER, "APP_DB_SECRET_ARN": database.app_secret.secret_arn}
        self.function = factory.add(
            FunctionSpec(
                name=FUNCTION_NAME,
                memory_mb=512,
                timeout_s=300,
                environment=environment,
                subnets=network.isolated,
                reserved_concurrency=1,  # two concurrent migrations would race on alembic
                description="Runs schema migrations, seeds the admin, grants registry_app",
            )
        )
        # The master user exists only for this function and the proxy's own login.
        database.grant_connect(self.function, MASTER_USER)
        database.app_secret.grant_read(self.function)
        secrets.admin_password.grant_read(self.function)
        provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.function,
            log_group=logs.LogGroup(
                self,
                "ProviderLogs",
                retention=settings.log_retention,
                removal_policy=settings.removal,
            ),
        )
        self.resource = CustomResource(
            self,
            "Schema",
            service_token=provider.service_token,
            resource_type="Custom::TrustRegMigrations",
            properties={"MigrationsHash": migrations_hash()},
        )
        # The proxy's target group must be registered before anyone can connect through it.
        self.resource.node.add_dependency(database.proxy, database.instance)
        NagSuppressions.add_resource_suppressions(
            provider,
            [
                {
                    "id": "AwsSolutions-L1",
                    "reason": "The Provider framework's Node.js function; CDK owns its runtime.",
                },
                {
                    "id": "AwsSolutions-IAM4",
                    "reason": "The framework's role uses AWSLambdaBasicExecutionRole for logs.",
                    "applies_to": [
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        "AWSLambdaBasicExecutionRole"
                    ],
                },
                {
                    "id": "AwsSolutions-IAM5",
                    "reason": "lambda:InvokeFunction on the migrate function and its versions "
                    "(<arn>:*), as CDK's Provider grants it.",
                    "applies_to": [{"regex": "/^Resource::<.*db_migrate.*\\.Arn>:\\*$/"}],
                },
            ],
            apply_to_children=True,
        )
