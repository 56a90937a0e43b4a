"""This repository's own environments (dev, staging, prod): the reference app, one user of the
library like any other team's. Not shipped in the wheel.

    main.py                     runs :func:`stacks.app.synth` (cdktf.json points at main.py)
    stacks/environments.py      the environments as data: accounts, state buckets, sizes
    stacks/app.py               one stackkit.patterns.EnvironmentStack per environment

Why is the library's code in ``src/stackkit/constructs/`` and not in a top-level
``constructs/`` beside this folder? ``python main.py`` puts the repository root first on
``sys.path``, so a top-level ``constructs`` folder would shadow the ``constructs`` package
that cdktf itself imports, and nothing would synthesize. The library is imported as
``stackkit.constructs`` instead.
"""

from stacks.environments import ENVIRONMENT_NAMES, ENVIRONMENTS, image_overrides, load_environment

__all__ = ["ENVIRONMENTS", "ENVIRONMENT_NAMES", "image_overrides", "load_environment"]
