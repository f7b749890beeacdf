"""Alarms: created in every environment; they notify only when a topic ARN is configured."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_rds as rds
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.settings import Settings

FIVE_MIN = Duration.minutes(5)


class Alarms(Construct):
    """API 5xx rate, per-function errors and throttles, database CPU."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        settings: Settings,
        requests: cw.Metric,
        errors_5xx: cw.Metric,
        functions: dict[str, lambda_.Function],
        instance: rds.DatabaseInstance,
    ) -> None:
        super().__init__(scope, cid)
        self.alarms: list[cw.Alarm] = []
        rate = cw.MathExpression(
            expression="IF(r > 0, 100 * e / r, 0)",
            label="5xx %",
            using_metrics={"e": errors_5xx, "r": requests},
            period=FIVE_MIN,
        )
        self._alarm("Api5xxRate", rate, settings.alarm_5xx_percent, 3)
        for name, fn in functions.items():
            self._alarm(f"{name}-errors", fn.metric_errors(period=FIVE_MIN), 1, 2)
            self._alarm(f"{name}-throttles", fn.metric_throttles(period=FIVE_MIN), 1, 2)
        self._alarm("DbCpu", instance.metric_cpu_utilization(period=FIVE_MIN), 80, 3)
        if settings.alarm_topic_arn:
            topic = sns.Topic.from_topic_arn(self, "AlarmTopic", settings.alarm_topic_arn)
            for alarm in self.alarms:
                alarm.add_alarm_action(cw_actions.SnsAction(topic))
                alarm.add_ok_action(cw_actions.SnsAction(topic))

    def _alarm(self, cid: str, metric: cw.IMetric, threshold: float, periods: int) -> None:
        self.alarms.append(
            metric.create_alarm(
                self,
                cid,
                threshold=threshold,
                evaluation_periods=periods,
                comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            )
        )
