"""Finding the tunesim command-line tool (`simulate`, from the Go checkout's ./cmd/simulate)."""

import os
import re
import shutil
import subprocess

from .errors import TunesimError

# The environment variable naming the tunesim binary.
BIN_VAR = "TUNESIM_BIN"

HOW_TO_GET = (
    "build it in a tunesim checkout with `go build -o ~/bin/simulate ./cmd/simulate` (Go 1.26+) and put "
    '~/bin on PATH, or set %s=/path/to/simulate, or pass binary="/path/to/simulate"' % BIN_VAR
)


class Binary:
    """How to run the CLI: argv before the subcommand, the directory to run it in (None: here), and
    whether it runs through `go run` (which reports the program's exit status on stderr)."""

    def __init__(self, argv, cwd=None, go_run=False):
        self.argv = list(argv)
        self.cwd = cwd
        self.go_run = go_run

    def __repr__(self):
        where = " (in %s)" % self.cwd if self.cwd else ""
        return " ".join(self.argv) + where

    def run(self, args, timeout=None):
        """Runs the CLI with args; returns (exit status, stdout, stderr) with `go run`'s own
        "exit status N" line taken off and N returned. timeout, when given, is the seconds it may
        take (TunesimError after them)."""
        try:
            p = subprocess.run(
                self.argv + list(args), cwd=self.cwd, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as e:
            raise TunesimError(
                "%r gave no answer in %g s" % (self, timeout), command=self.argv + list(args)
            ) from e
        except OSError as e:
            raise TunesimError(
                "cannot run %r: %s; %s" % (self, e, HOW_TO_GET), command=self.argv + list(args)
            ) from e
        rc, err = p.returncode, p.stderr
        if self.go_run and rc != 0:
            lines = err.rstrip("\n").split("\n")
            m = re.match(r"^exit status (\d+)$", lines[-1])
            if m:
                rc, err = int(m.group(1)), "\n".join(lines[:-1]) + "\n"
        return rc, p.stdout, err


def checkout_root():
    """The tunesim checkout this module lives in (python/tunesim/../..), or None."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        with open(os.path.join(root, "go.mod")) as f:
            first = f.readline().strip()
    except OSError:
        return None
    if first == "module tunesim" and os.path.isdir(os.path.join(root, "cmd", "simulate")):
        return root
    return None


def find(binary=None):
    """The CLI to run: binary (a path or a name on PATH), else $TUNESIM_BIN, else `simulate` or
    `tunesim` on PATH, else `go run ./cmd/simulate` in the checkout this module lives in. Raises
    TunesimError saying how to get it when there is none."""
    for given, what in ((binary, "binary="), (os.environ.get(BIN_VAR), "$" + BIN_VAR)):
        if not given:
            continue
        path = _executable(given)
        if path is None:
            raise TunesimError("%s%s: no such executable; %s" % (what, given, HOW_TO_GET))
        return Binary([path])
    for name in ("simulate", "tunesim"):
        path = shutil.which(name)
        if path:
            return Binary([path])
    root = checkout_root()
    go = shutil.which("go")
    if root and go:
        return Binary([go, "run", "./cmd/simulate"], cwd=root, go_run=True)
    tried = "binary=, $%s, simulate and tunesim on PATH" % BIN_VAR
    if root:
        tried += ", `go run ./cmd/simulate` in %s (no go on PATH)" % root
    else:
        tried += ", a tunesim checkout around %s" % os.path.dirname(os.path.abspath(__file__))
    raise TunesimError("tunesim's CLI not found (tried %s): %s" % (tried, HOW_TO_GET))


def _executable(name):
    """name as an absolute path when it is an executable file or a command on PATH, else None."""
    name = os.path.expanduser(name)
    if os.sep in name or (os.altsep and os.altsep in name):
        return os.path.abspath(name) if os.path.isfile(name) and os.access(name, os.X_OK) else None
    return shutil.which(name)
