"""This repository's app: one EnvironmentStack per environment. Config is validated before
cdktf runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from stackkit._private.cdk import App
from stackkit.patterns import BootstrapStack, EnvironmentConfig, EnvironmentStack
from stacks.environments import ENVIRONMENT_NAMES, ENVIRONMENTS, load_environment


def _named(name: str, image: str | None) -> EnvironmentConfig:
    if image is None:
        return load_environment(name)
    service = {**ENVIRONMENTS.get(name, {}).get("service", {}), "image": image}
    return load_environment(name, service=service)


def build_app(
    outdir: str | None = None,
    environments: Iterable[str | EnvironmentConfig] = ENVIRONMENT_NAMES,
    images: Mapping[str, str] | None = None,
) -> App:
    """An App with one stack per environment (names or configs). ``images`` overrides the
    service image (``service.image``) of named environments. Nothing is built until every
    config has validated, so bad input never reaches jsii."""
    images = images or {}
    configs = [
        env if isinstance(env, EnvironmentConfig) else _named(env, images.get(env)) for env in environments
    ]
    # Under `cdktf synth` the CLI passes the output folder to App itself.
    app = App(outdir=outdir) if outdir is not None else App()
    for config in configs:
        EnvironmentStack(app, config)
        # Deployed first, by an administrator: state bucket, GitHub OIDC, CI roles (docs/deploying.md).
        if config.github_repository is not None:
            BootstrapStack(app, config)
    return app


def synth(
    outdir: str | None = None,
    environments: Iterable[str | EnvironmentConfig] = ENVIRONMENT_NAMES,
    images: Mapping[str, str] | None = None,
) -> None:
    """Write ``<outdir>/stacks/<env>/cdk.tf.json`` for each environment."""
    build_app(outdir, environments, images).synth()
