"""The registry stack: the constructs, wired together in dependency order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.api import RestApi
from infra.assets import FUNCTIONS_DIR
from infra.database import APP_USER, DB_NAME, DB_PORT, Database
from infra.endpoints import Endpoints
from infra.functions import FunctionFactory
from infra.migrations import Migrations
from infra.nag import suppress_stack_wide
from infra.network import Network
from infra.observability import Observability
from infra.runtime_config import RuntimeConfig
from infra.secrets import AppSecrets
from infra.sensitive_check import FUNCTION_NAME as SENSITIVE_CHECK
from infra.sensitive_check import INVOKER, SensitiveCheck
from infra.settings import Settings
from infra.storage import Storage


class RegistryStack(Stack):
    """Network, data, secrets, functions, API, migrations and observability for one env."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        functions_root: Path = FUNCTIONS_DIR,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, cid, **kwargs)
        self.settings = settings
        self.network = Network(self, "Network", settings=settings)
        self.storage = Storage(self, "Storage", settings=settings)
        self.secrets = AppSecrets(self, "Secrets", settings=settings)
        self.database = Database(self, "Database", settings=settings, network=self.network)
        config = RuntimeConfig(
            env_name=settings.env_name,
            db_host=self.database.proxy.endpoint,
            db_port=DB_PORT,
            db_name=DB_NAME,
            db_app_user=APP_USER,
            blob_bucket=self.storage.bucket.bucket_name,
            jwt_secret_arn=self.secrets.jwt.secret_arn,
            admin_password_secret_arn=self.secrets.admin_password.secret_arn,
            hf_endpoint=settings.hf_endpoint,
            github_api_url=settings.github_api_url,
            log_group_prefix=settings.log_group_prefix,
        )
        self.factory = FunctionFactory(
            self,
            "Functions",
            settings=settings,
            functions_root=functions_root,
            vpc=self.network.vpc,
            security_group=self.network.function_sg,
        )
        common = dict(network=self.network, database=self.database, secrets=self.secrets)
        self.endpoints = Endpoints(
            self, "Endpoints", factory=self.factory, config=config, storage=self.storage, **common
        )
        self.api = RestApi(self, "Api", settings=settings, functions=dict(self.endpoints.functions))
        self.migrations = Migrations(
            self, "Migrations", settings=settings, factory=self.factory, config=config, **common
        )
        # New code goes live only once its schema is there: CloudFormation updates the API's
        # functions after the migration has run. Until then the previous code runs on the
        # migrated schema, which every migration leaves working for it (docs/deploy.md).
        for function in self.endpoints.functions.values():
            function.node.add_dependency(self.migrations.resource)
        # The Node.js runner of uploaders' check programs; only the download may invoke it.
        self.sensitive_check = SensitiveCheck(
            self,
            "SensitiveCheck",
            settings=settings,
            functions_root=functions_root,
            network=self.network,
            bucket=self.storage.bucket,
            architecture=self.factory.architecture,
        )
        self.sensitive_check.grant_invoke_to(self.endpoints.functions[INVOKER])
        self.observability = Observability(
            self,
            "Observability",
            settings=settings,
            api=self.api.api,
            functions={
                **self.factory.functions,
                SENSITIVE_CHECK: self.sensitive_check.function,
            },
            instance=self.database.instance,
            proxy=self.database.proxy,
            bucket=self.storage.bucket,
        )
        CfnOutput(self, "BucketName", value=self.storage.bucket.bucket_name)
        CfnOutput(self, "ProxyEndpoint", value=self.database.proxy.endpoint)
        suppress_stack_wide(self)
