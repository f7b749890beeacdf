"""cdk-nag on every synth, and the stack-wide suppressions, each with its reason."""

from __future__ import annotations

from aws_cdk import Aspects, Stack
from cdk_nag import AwsSolutionsChecks, NagPackSuppression, NagSuppressions
from constructs import IConstruct

_API_REASONS: dict[str, str] = {
    "AwsSolutions-APIG2": "Requests are validated once, in the layer (trustreg/http), against the "
    "same schema as the OpenAPI document; API Gateway models would be a second copy to drift.",
    "AwsSolutions-APIG3": "No WAF: it costs a fixed monthly fee per web ACL; stage throttling is "
    "the abuse control for this course-scale service (revisit for a public launch).",
    "AwsSolutions-APIG4": "Authorization is the contract's X-Authorization token, checked by the "
    "endpoint wrapper from the route table's access level; public routes are public by design "
    "and CORS preflight (OPTIONS) must be unauthenticated.",
    "AwsSolutions-COG4": "No Cognito: the contract defines its own users and tokens.",
}


def apply_nag(scope: IConstruct) -> None:
    """Run AwsSolutions checks on everything under `scope` when it is synthesized."""
    Aspects.of(scope).add(AwsSolutionsChecks(verbose=True))


def suppress_stack_wide(stack: Stack) -> None:
    """Findings that hold for every API method, or for CDK-internal helpers."""
    NagSuppressions.add_stack_suppressions(
        stack, [NagPackSuppression(id=rule, reason=why) for rule, why in _API_REASONS.items()]
    )
    NagSuppressions.add_stack_suppressions(
        stack,
        [
            NagPackSuppression(
                id="AwsSolutions-IAM4",
                reason="API Gateway's account-level CloudWatch role uses the AWS managed "
                "push-to-logs policy, the documented way to enable execution logs.",
                applies_to=[
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                    "AmazonAPIGatewayPushToCloudWatchLogs"
                ],
            ),
        ],
    )
