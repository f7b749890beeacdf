"""Application secrets: the JWT signing key and the default admin's password."""

from __future__ import annotations

from aws_cdk import SecretValue
from aws_cdk import aws_secretsmanager as sm
from cdk_nag import NagSuppressions
from constructs import Construct

from infra.settings import Settings
from trustreg.config import DEFAULT_ADMIN_PASSWORD

# Quotes, backslashes and spaces break shell-pasted `aws` commands when an operator rotates by
# hand; the remaining alphabet still gives far more than the 32 bytes config.py demands.
_EXCLUDED = " \"'\\`/@%"


def admin_password_source(settings: Settings) -> str:
    """`imported` (adminPasswordSecretArn), else `contract` (the default) or `generate`."""
    return "imported" if settings.admin_password_secret_arn else settings.admin_password


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
        self.admin_password_source = admin_password_source(settings)
        if self.admin_password_source == "imported":  # noqa: S105 - a mode, not a password
            # The operator's own secret (created and rotated outside this stack).
            self.admin_password: sm.ISecret = sm.Secret.from_secret_complete_arn(
                self, "AdminPassword", settings.admin_password_secret_arn
            )
        elif self.admin_password_source == "contract":  # noqa: S105 - a mode name
            # Clients of the public contract log in with its example password, exactly as
            # against `make run`. It is public knowledge (trustreg.config, the contract's
            # examples), so the template carrying it discloses nothing; a private deployment
            # picks `-c adminPassword=generate` or brings its own secret (docs/deploy.md).
            self.admin_password = sm.Secret(
                self,
                "AdminPassword",
                description=f"TrustReg {settings.env_name}: default admin password (the "
                "contract's public example password; rotate it for a private deployment)",
                secret_string_value=SecretValue.unsafe_plain_text(DEFAULT_ADMIN_PASSWORD),
            )
        else:
            self.admin_password = sm.Secret(
                self,
                "AdminPassword",
                description=f"TrustReg {settings.env_name}: default admin password (generated)",
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
                            "logs every user out, and the admin password is what DELETE /reset "
                            "restores, so an unannounced automatic rotation would lock clients "
                            "out for no gain.",
                        }
                    ],
                )
