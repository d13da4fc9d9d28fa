"""The one exception tunesim raises."""


class TunesimError(Exception):
    """What went wrong, in words a user can act on. When the tunesim CLI failed, .command is the
    command line, .returncode its exit status (2: bad input, e.g. no tuning in the log) and .stderr
    what it printed."""

    def __init__(self, message, command=None, returncode=None, stderr=None):
        super().__init__(message)
        self.command = command
        self.returncode = returncode
        self.stderr = stderr
