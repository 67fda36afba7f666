"""Classes pickled into the recorded checkpoints (importable by module path, as pickle needs)."""

import os


class FixtureThing:
    """A plain user class, as a checkpoint might hold (refused by weights_only=True unless allowlisted)."""

    def __init__(self, n):
        self.n = n
        self.label = f"thing-{n}"


class OpenTrap:
    """Unpickling this creates the file ``path``: the proof that a loader ran code from a file."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


class SystemTrap:
    """Unpickling this would run a shell command (only ever refused in the tests)."""

    def __reduce__(self):
        return (os.system, ("touch ember_pwned_by_system",))
