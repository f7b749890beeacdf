"""Application secrets: the JWT signing key and the default admin's password."""

from __future__ import annotations

from aws_cdk import aws_secretsmanager as sm
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.settings import Settings

# Quotes, backslashes and spaces break shell-pasted `aws` commands when an operator rotates by
# hand; the remaining alphabet still gives far more than the 32 bytes config.py demands.
_EXCLUDED = " \"'\\`/@%"


class AppSecrets(Construct):
    """Secrets the functions read at cold start (trustreg.aws_secrets.read_secret)."""

    def __init__(self, scope: Construct, cid: str, *, settings: Settings) -> None:
        super().__init__(scope, cid)
        self.jwt = sm.Secret(
            self,
            "JwtSigningKey",
            description=f"TrustReg {settings.env_name}: HS256 signing key for API tokens",
            # A plain string (no JSON template): read_secret returns it as-is.
            generate_secret_string=sm.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        if settings.admin_password_secret_arn:
            # Operators who must keep the contract's well-known password create it themselves,
            # so it never appears in a template or in our repository.
            self.admin_password: sm.ISecret = sm.Secret.from_secret_complete_arn(
                self, "AdminPassword", settings.admin_password_secret_arn
            )
        else:
            self.admin_password = sm.Secret(
                self,
                "AdminPassword",
                description=f"TrustReg {settings.env_name}: default admin password (seeded once)",
                generate_secret_string=sm.SecretStringGenerator(
                    password_length=32, exclude_characters=_EXCLUDED
                ),
            )
        for secret in (self.jwt, self.admin_password):
            if isinstance(secret, sm.Secret):
                NagSuppressions.add_resource_suppressions(
                    secret,
                    [
                        {
                            "id": "AwsSolutions-SMG4",
                            "reason": "Rotation is manual (docs/deploy.md): rotating the JWT key "
                            "logs every user out and the admin password is seeded only once, so "
                            "an automatic rotation Lambda would break sessions for no gain.",
                        }
                    ],
                )
