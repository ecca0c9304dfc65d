"""Where the bundled ``robot`` binary is."""

from __future__ import annotations

import os
from importlib import metadata

DISTRIBUTION = "maintenance-robot"


def robot_binary() -> str:
    """The path of the ``robot`` binary this package installed (in the environment's ``bin`` directory).

    Raises:
        FileNotFoundError: the package's files do not include the binary; reinstall the wheel.
    """
    try:
        files = metadata.files(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        # The wheel installs the binary as a script: RECORD lists it relative to site-packages, e.g. ../../../bin/robot.
        if file.name == "robot" and file.parent.name == "bin":
            path = os.path.realpath(str(file.locate()))
            if os.access(path, os.X_OK):
                return path
    raise FileNotFoundError(
        f"the robot binary of {DISTRIBUTION} is not installed in this environment; "
        f"reinstall the wheel: pip install --force-reinstall {DISTRIBUTION}"
    )
