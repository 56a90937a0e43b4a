"""DATABASE_URL, PGPASSWORD and REDIS_URL for a task: the secrets, their values and what the
execution role must be granted to read them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from stackkit._private.cdk import Construct, Fn, SecretsmanagerSecret, SecretsmanagerSecretVersion, Token
from stackkit._private.skips import DATABASE_URL_NOT_ROTATED, REDIS_URL_NOT_ROTATED, record_skip
from stackkit._private.terraform import AwsContext, add_ephemeral, logical_id, pin_address

if TYPE_CHECKING:
    from stackkit.constructs.protocols import CacheLike, DatabaseLike

#: Why each connection secret is not rotated by Secrets Manager (Checkov CKV2_AWS_57).
SECRET_ROTATION_SKIPS = {"DATABASE_URL": DATABASE_URL_NOT_ROTATED, "REDIS_URL": REDIS_URL_NOT_ROTATED}


#: Who a task logs in to the database as: the application user or the migration user (IAM
#: database authentication, no password anywhere), or the master (password from the
#: RDS-managed secret; only the bootstrap task that creates the other two).
DatabaseUser = Literal["app", "migrator", "master"]


@dataclass
class TaskSecrets:
    value_from: dict[str, str]
    """Env name -> Secrets Manager reference (an ARN, or ``ARN:json-key::``)."""
    secret_arns: list[str]
    key_arns: list[str]
    url_secret_arns: dict[str, str] = field(default_factory=dict)
    """``DATABASE_URL`` / ``REDIS_URL`` -> the secret's ARN."""
    database_connect_arn: str | None = None
    """The ``rds-db:connect`` resource of the IAM database user the task logs in as."""


def _quoted(value: str) -> str:
    """A Terraform string literal of ``value`` (a token is already an expression)."""
    return value.removeprefix("${").removesuffix("}") if value.startswith("${") else json.dumps(value)


def _as_string(value: int | float | str) -> str:
    """A port may be a literal or a (numeric) token; either way a string for interpolation."""
    return value if isinstance(value, str) else Token.as_string(value)


def connection_secret_name(owner: str, variable: str) -> str:
    """The Secrets Manager name of task ``owner``'s ``variable`` (``DATABASE_URL`` ->
    ``<owner>/database-url``)."""
    return f"{owner}/{variable.lower().replace('_', '-')}"


def connection_secrets(
    scope: Construct,
    name: str,
    *,
    kms_key_arn: str,
    connection_secret_version: int,
    database: DatabaseLike | None,
    cache: CacheLike | None,
    database_user: DatabaseUser = "app",
) -> TaskSecrets:
    """The task's secrets: ``{env name: valueFrom}`` plus the secrets and keys to grant.

    DATABASE_URL never carries a password. With a database that has IAM database users
    (``stackkit.Database``: ``resource_id``, ``app_username``, ``migrator_username``) the task
    logs in as the application (or migration) user with an IAM authentication token:
    ``postgresql://app@host:port/db?sslmode=verify-full``, no PGPASSWORD, and the task role is
    granted ``rds-db:connect`` for exactly that user. Why IAM and not a second password: there
    is nothing to rotate (a token is signed per connection from the task role's credentials
    and lives 15 minutes), so a rotation can never break a running task; the trade-off is
    that RDS recommends it below about 200 new connections per second (RDS user guide, "IAM
    database authentication for MariaDB, MySQL, and PostgreSQL": "IAM database
    authentication throttles connections at 200 new connections per second"): pool
    connections. ``database_user="master"`` (the bootstrap task only), or a team's database
    without IAM users: the master user, with PGPASSWORD straight from the RDS-managed master
    secret's ``password`` key (libpq and node-postgres use PGPASSWORD when the URL has none).
    REDIS_URL embeds the AUTH token,
    which does not rotate by itself: it is read with an *ephemeral*
    ``aws_secretsmanager_secret_version`` (Terraform >= 1.10: never stored) and written
    through the *write-only* ``secret_string_wo`` (Terraform >= 1.11). cdktf 0.21 has no
    ephemeral resource classes, so that block is added as raw Terraform JSON.
    """
    task = TaskSecrets(value_from={}, secret_arns=[], key_arns=[kms_key_arn])
    values: dict[str, tuple[str, bool]] = {}  # env name -> (value, write-only)
    if database is not None:
        iam_user = _iam_user(database, database_user)
        endpoint = f"{database.address}:{_as_string(database.port)}/{database.database_name}"
        if iam_user is not None:
            # verify-full: the token is a credential, so the server's certificate is checked
            # against the RDS CA bundle (the image provides it; see the Database page of the docs).
            values["DATABASE_URL"] = (f"postgresql://{iam_user}@{endpoint}?sslmode=verify-full", False)
            context = AwsContext.of(scope)
            resource_id = str(getattr(database, "resource_id"))  # noqa: B009 (checked in _iam_user)
            # arn:${Partition}:rds-db:${Region}:${Account}:dbuser:${DbiResourceId}/${DbUserName}
            # (Service Authorization Reference, "Amazon RDS IAM Authentication", db-user).
            task.database_connect_arn = (
                f"arn:{context.partition}:rds-db:{context.region}:{context.account_id}"
                f":dbuser:{resource_id}/{iam_user}"
            )
        else:
            ssl = (
                "verify-full" if database_user == "master" and hasattr(database, "resource_id") else "require"
            )
            values["DATABASE_URL"] = (
                f"postgresql://${{urlencode({_quoted(database.username)})}}@{endpoint}?sslmode={ssl}",
                False,
            )
            task.value_from["PGPASSWORD"] = f"{database.master_user_secret_arn}:password::"
            task.secret_arns.append(database.master_user_secret_arn)
            task.key_arns.append(database.master_user_secret_kms_key_arn)
    if cache is not None:
        auth = _ephemeral_secret(
            scope, name, "cache_auth_secret", cache.auth_secret_arn, cache.primary_endpoint
        )
        # rediss: the cache encrypts in transit; AUTH goes to the default user.
        values["REDIS_URL"] = (
            f"rediss://:${{urlencode({auth}.secret_string)}}@{cache.primary_endpoint}:{_as_string(cache.port)}",
            True,
        )

    for env_name, (value, write_only) in values.items():
        slug = env_name.lower().replace("_", "-")
        secret = SecretsmanagerSecret(
            scope,
            f"{slug}-secret",
            name=connection_secret_name(name, env_name),
            description=f"{env_name} of {name}",
            kms_key_id=kms_key_arn,
            recovery_window_in_days=7,
        )
        pin_address(secret, name, slug.replace("-", "_"))
        record_skip(secret, SECRET_ROTATION_SKIPS[env_name])
        stored = (
            {
                "secret_string_wo": value,
                "secret_string_wo_version": redis_url_version(connection_secret_version, cache),
            }
            if write_only
            else {"secret_string": value}
        )
        version = SecretsmanagerSecretVersion(scope, f"{slug}-value", secret_id=secret.id, **stored)
        pin_address(version, name, slug.replace("-", "_"), "value")
        secret_arn = secret.arn
        task.value_from[env_name] = secret_arn
        task.secret_arns.append(secret_arn)
        task.url_secret_arns[env_name] = secret_arn
    task.value_from = dict(sorted(task.value_from.items()))
    return task


def _iam_user(database: DatabaseLike, database_user: DatabaseUser) -> str | None:
    """The IAM database user a task logs in as, or None for the master-password login (asked
    for, or a team's database that has no IAM users: no ``resource_id``)."""
    if database_user == "master" or not hasattr(database, "resource_id"):
        return None
    attribute = "app_username" if database_user == "app" else "migrator_username"
    user = getattr(database, attribute, None)
    if not isinstance(user, str):
        raise TypeError(f"database: it has resource_id but no {attribute} (the IAM user to log in as)")
    return user


def redis_url_version(connection_secret_version: int, cache: CacheLike | None) -> int:
    """The REDIS_URL secret's write-only version: it follows the cache's ``auth_token_version``
    (one knob rotates the token and rewrites the URL in the same apply; ``stackkit.Cache`` has
    it, a team's own cache may not: then 1). ``connection_secret_version`` adds on top, for a
    cache whose token is rotated outside stackkit. Both default 1 -> version 1."""
    auth_token_version = int(getattr(cache, "auth_token_version", 1))
    return auth_token_version + connection_secret_version - 1


def _ephemeral_secret(scope: Construct, name: str, what: str, secret_arn: str, endpoint: str) -> str:
    """Add an ephemeral read of ``secret_arn``; returns its address for expressions."""
    # element([arn, endpoint], 0) is the ARN, but the reference to the endpoint makes
    # Terraform read the secret only after the database / cache exists, i.e. after the
    # secret has a value (an ephemeral read has no depends_on on what it does not name).
    return add_ephemeral(
        scope,
        "aws_secretsmanager_secret_version",
        logical_id(name, what),
        {"secret_id": Fn.element([secret_arn, endpoint], 0)},
    )
