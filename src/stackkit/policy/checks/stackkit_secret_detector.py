"""Secrets by value: is a plain string a credential, whatever its variable is called?

Built on ``detect_secrets`` as shipped by ``bc-detect-secrets`` (the maintained fork that
Checkov itself uses for its secrets scanner; both install the ``detect_secrets`` module, so
stackkit depends on this one and not on the older ``detect-secrets``): its provider-format
detectors (AWS, GitHub, Slack, Stripe, private keys, JWTs, npm, SendGrid, Twilio...) and its
Shannon-entropy measures with detect-secrets' default limits (base64 4.5, hex 3.0).

Like :mod:`stackkit_policy_common`, Checkov imports this file as a top-level module, so it
imports nothing from ``stackkit``; constructs use it through :mod:`stackkit.constructs.plain_values`.
"""

from __future__ import annotations

import re
from functools import cache

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
    HighEntropyStringsPlugin,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

#: Provider key formats: each detector matches the documented shape of one provider's keys.
_FORMAT_DETECTORS: tuple[type[RegexBasedDetector], ...] = (
    AWSKeyDetector,
    ArtifactoryDetector,
    AzureStorageKeyDetector,
    BasicAuthDetector,
    DiscordBotTokenDetector,
    GitHubTokenDetector,
    JwtTokenDetector,
    MailchimpDetector,
    NpmDetector,
    PrivateKeyDetector,
    SendGridDetector,
    SlackDetector,
    SquareOAuthDetector,
    StripeDetector,
    TwilioKeyDetector,
)
#: A PEM header alone (the key body may follow on other lines) is a private key too.
_PEM_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")
#: Terraform references are not values: ``${aws_db_instance.x.address}``.
_REFERENCE = re.compile(r"\$\{[^}]*\}")
#: Shorter runs are never random enough to pass the limits, and ids like account numbers
#: (12 digits) must not count.
MIN_ENTROPY_LENGTH = 20


@cache
def _format_detectors() -> tuple[RegexBasedDetector, ...]:
    return tuple(detector() for detector in _FORMAT_DETECTORS)


@cache
def _entropy_detectors() -> tuple[HighEntropyStringsPlugin, ...]:
    return (Base64HighEntropyString(), HexHighEntropyString())


def secret_kinds(value: str) -> list[str]:
    """What kinds of secret ``value`` looks like (``["Stripe Access Key"]``), empty if none.

    Provider formats first; then random-looking runs of at least :data:`MIN_ENTROPY_LENGTH`
    base64 or hex characters above detect-secrets' default entropy limits. Terraform
    references (``${...}``) are ignored: they are resolved by Terraform, not written here."""
    text = _REFERENCE.sub(" ", value)
    kinds: list[str] = []
    for detector in _format_detectors():
        if any(True for _ in detector.analyze_string(text)) and detector.secret_type not in kinds:
            kinds.append(detector.secret_type)
    if _PEM_HEADER.search(text) and PrivateKeyDetector.secret_type not in kinds:
        kinds.append(PrivateKeyDetector.secret_type)
    if kinds:
        return kinds
    for plugin in _entropy_detectors():
        runs = re.findall(rf"[{re.escape(plugin.charset)}]{{{MIN_ENTROPY_LENGTH},}}", text)
        if any(
            not run.isdigit() and plugin.calculate_shannon_entropy(run) > plugin.entropy_limit for run in runs
        ):
            kinds.append(plugin.secret_type)
            break
    return kinds
