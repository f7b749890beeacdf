"""The REST API, built by iterating the route table: no route is declared twice."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.settings import Settings
from trustreg.routes import ROUTES

BINARY_MEDIA_TYPES = ("application/zip", "application/octet-stream")
# The same shape trustreg/http produces, so clients parse one error format whoever answered.
_ERROR_TEMPLATE = (
    '{"error": {"code": "$context.error.responseType", "message": $context.error.messageString}}'
)
_NOT_FOUND_TEMPLATE = '{"error": {"code": "NOT_FOUND", "message": "No such route"}}'


def integration_timeout_s(settings: Settings, function_timeout_s: int) -> int:
    """How long API Gateway waits for a route: its function's timeout, capped by the quota.

    29 s is API Gateway's default ceiling; `apiIntegrationTimeoutS` raises the cap once the
    account's "Maximum integration timeout" quota has been raised (regional APIs only).
    """
    return min(function_timeout_s, settings.api_integration_timeout_s)


class RestApi(Construct):
    """API Gateway REST API with a Lambda proxy integration per route."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        functions: dict[str, lambda_.IFunction],
    ) -> None:
        super().__init__(scope, cid)
        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=settings.log_retention, removal_policy=settings.removal
        )
        self.api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=f"trustreg-{settings.env_name}",
            description="Trustworthy Model Registry",
            binary_media_types=list(BINARY_MEDIA_TYPES),
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Execution logs need the account-level CloudWatch role; keep it if the stack goes,
            # since other APIs in the account may rely on it.
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=settings.removal,
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(settings.cors_origins),
                allow_methods=apigw.Cors.ALL_METHODS,
                allow_headers=[*apigw.Cors.DEFAULT_HEADERS, "X-Authorization"],
            ),
            deploy_options=apigw.StageOptions(
                stage_name=settings.env_name,
                throttling_rate_limit=settings.api_throttle_rate,
                throttling_burst_limit=settings.api_throttle_burst,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=False,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                tracing_enabled=settings.tracing,
            ),
        )
        for route in ROUTES:
            resource = self.api.root.resource_for_path(route.path)
            resource.add_method(
                route.method,
                apigw.LambdaIntegration(
                    functions[route.function],
                    # allow_test_invoke=False halves the Lambda permissions (one per method).
                    allow_test_invoke=False,
                    timeout=Duration.seconds(integration_timeout_s(settings, route.timeout_s)),
                ),
            )
        # Browsers must read our error bodies too; a single origin is all the header can carry.
        cors = {"Access-Control-Allow-Origin": f"'{settings.cors_origins[0]}'"}
        for rid, rtype in (
            ("Default4xx", apigw.ResponseType.DEFAULT_4_XX),
            ("Default5xx", apigw.ResponseType.DEFAULT_5_XX),
        ):
            self.api.add_gateway_response(
                rid,
                type=rtype,
                response_headers=cors,
                templates={"application/json": _ERROR_TEMPLATE},
            )
        # API Gateway answers an unknown path with 403 "Missing Authentication Token"; say 404.
        self.api.add_gateway_response(
            "UnknownRoute",
            type=apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
            status_code="404",
            response_headers=cors,
            templates={"application/json": _NOT_FOUND_TEMPLATE},
        )
        if settings.domain_name:
            self._custom_domain(settings)
        CfnOutput(self, "Url", value=self.api.url)

    def _custom_domain(self, settings: Settings) -> None:
        domain = self.api.add_domain_name(
            "Domain",
            domain_name=settings.domain_name,
            certificate=acm.Certificate.from_certificate_arn(
                self, "Certificate", settings.certificate_arn
            ),
            endpoint_type=apigw.EndpointType.REGIONAL,
            security_policy=apigw.SecurityPolicy.TLS_1_2,
        )
        # DNS stays outside the stack: point a CNAME/alias at this name.
        CfnOutput(self, "DomainTarget", value=domain.domain_name_alias_domain_name)
