"""One dashboard and a handful of alarms; metric names come from trustreg.observability."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.alarms import FIVE_MIN, Alarms
from infra.settings import Settings
from trustreg.observability import NAMESPACE, SERVICE, MetricName

PROXY_METRICS = (
    "ClientConnections",
    "DatabaseConnections",
    "DatabaseConnectionsCurrentlySessionPinned",
)


def registry_metric_names() -> list[str]:
    """Every MetricName constant, so a new metric shows up without touching the dashboard."""
    return [v for k, v in vars(MetricName).items() if k.isupper() and isinstance(v, str)]


def _emf(name: str) -> cw.Metric:
    # Powertools publishes EMF with the single dimension service=<SERVICE>.
    timing = name.endswith("Ms")
    return cw.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE},
        statistic="p99" if timing else "Sum",
        period=FIVE_MIN,
        label=name,
    )


def _per_function(fns: dict[str, lambda_.Function], metric: str, stat: str) -> list[cw.IMetric]:
    return [
        fn.metric(metric, statistic=stat, period=FIVE_MIN, label=name) for name, fn in fns.items()
    ]


class Observability(Construct):
    """Dashboard `trustreg-<env>` and alarms that notify the optional SNS topic."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        api: apigw.RestApi,
        functions: dict[str, lambda_.Function],
        instance: rds.DatabaseInstance,
        proxy: rds.DatabaseProxy,
        bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, cid)
        stage = {"ApiName": api.rest_api_name, "Stage": settings.env_name}

        def api_metric(name: str, stat: str, label: str) -> cw.Metric:
            return cw.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map=stage,
                statistic=stat,
                period=FIVE_MIN,
                label=label,
            )

        requests = api_metric("Count", "Sum", "requests")
        errors_5xx = api_metric("5XXError", "Sum", "5xx")
        proxy_dims = {"ProxyName": proxy.db_proxy_name}
        self.dashboard = cw.Dashboard(
            self, "Dashboard", dashboard_name=f"trustreg-{settings.env_name}"
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="API requests and errors",
                width=12,
                left=[requests, api_metric("4XXError", "Sum", "4xx"), errors_5xx],
            ),
            cw.GraphWidget(
                title="API latency",
                width=12,
                left=[api_metric("Latency", "p50", "p50"), api_metric("Latency", "p99", "p99")],
            ),
        )
        for title, metric, stat in (
            ("Function errors", "Errors", "Sum"),
            ("Function duration p99", "Duration", "p99"),
            ("Function throttles", "Throttles", "Sum"),
            ("Concurrent executions", "ConcurrentExecutions", "Maximum"),
        ):
            self.dashboard.add_widgets(
                cw.GraphWidget(
                    title=title,
                    width=24,
                    legend_position=cw.LegendPosition.RIGHT,
                    left=_per_function(functions, metric, stat),
                )
            )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="RDS Proxy connections",
                width=8,
                left=[
                    cw.Metric(
                        namespace="AWS/RDS",
                        metric_name=m,
                        dimensions_map=proxy_dims,
                        statistic="Maximum",
                        period=FIVE_MIN,
                    )
                    for m in PROXY_METRICS
                ],
            ),
            cw.GraphWidget(
                title="Database",
                width=8,
                left=[instance.metric_cpu_utilization()],
                right=[instance.metric_database_connections()],
            ),
            cw.GraphWidget(
                title="Package bucket size",
                width=8,
                left=[
                    cw.Metric(
                        namespace="AWS/S3",
                        metric_name="BucketSizeBytes",
                        statistic="Average",
                        period=Duration.days(1),
                        dimensions_map={
                            "BucketName": bucket.bucket_name,
                            "StorageType": "StandardStorage",
                        },
                    )
                ],
            ),
        )
        self.dashboard.add_widgets(
            *[
                cw.GraphWidget(title=f"Registry: {name}", width=6, left=[_emf(name)])
                for name in registry_metric_names()
            ]
        )
        self.alarms = Alarms(
            self,
            "Alarms",
            settings=settings,
            requests=requests,
            errors_5xx=errors_5xx,
            functions=functions,
            instance=instance,
        )
        region = Stack.of(self).region
        CfnOutput(
            self,
            "DashboardUrl",
            value=f"https://{region}.console.aws.amazon.com/"
            f"cloudwatch/home?region={region}#dashboards:name=trustreg-{settings.env_name}",
        )
