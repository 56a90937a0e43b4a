"""The app: one EnvironmentStack per environment. Config is validated before cdktf runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from stackkit._private.cdk import App
from stackkit.stacks.config import ENVIRONMENT_NAMES, EnvironmentConfig
from stackkit.stacks.environment_stack import EnvironmentStack
from stackkit.stacks.environments import load_environment


def build_app(
    outdir: str | None = None,
    environments: Iterable[str | EnvironmentConfig] = ENVIRONMENT_NAMES,
    images: Mapping[str, str] | None = None,
) -> App:
    """An App with one stack per environment (names or configs). ``images`` overrides the
    service image of named environments. Nothing is built until every config has validated,
    so bad input never reaches jsii."""
    images = images or {}
    configs = [
        env
        if isinstance(env, EnvironmentConfig)
        else load_environment(env, **({"service_image": images[env]} if env in images else {}))
        for env in environments
    ]
    # Under `cdktf synth` the CLI passes the output folder to App itself.
    app = App(outdir=outdir) if outdir is not None else App()
    for config in configs:
        EnvironmentStack(app, config)
    return app


def synth(
    outdir: str | None = None,
    environments: Iterable[str | EnvironmentConfig] = ENVIRONMENT_NAMES,
    images: Mapping[str, str] | None = None,
) -> None:
    """Write ``<outdir>/stacks/<env>/cdk.tf.json`` for each environment."""
    build_app(outdir, environments, images).synth()
