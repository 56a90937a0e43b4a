"""Entry point of `cdktf synth` (see cdktf.json) and of `python main.py`."""

import os
from pathlib import Path

# Use the Node pinned in package.json (jsii supports it) when the repo has it installed.
_PINNED_NODE = Path(__file__).resolve().parent / "node_modules" / ".bin"
if (_PINNED_NODE / "node").exists():
    os.environ["PATH"] = f"{_PINNED_NODE}{os.pathsep}{os.environ.get('PATH', '')}"

from stacks.app import synth  # noqa: E402  (after PATH: importing it starts node)
from stacks.environments import image_overrides  # noqa: E402

if __name__ == "__main__":
    # STACKKIT_<ENV>_SERVICE_IMAGE picks the image to deploy (or roll back to); see the README.
    synth(images=image_overrides(os.environ))
