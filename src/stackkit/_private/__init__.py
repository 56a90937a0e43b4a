"""Private helpers: not part of the public API.

Everything that reaches cdktf goes through :mod:`stackkit._private.cdk`, so this package runs
first: the Node that jsii starts is chosen (and a missing one refused in one line) right here.
"""

from stackkit._private.node import use_supported_node

use_supported_node()
