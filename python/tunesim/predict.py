"""tunesim.whatif: what every parallelism would have done, predicted from this session's event log."""

import html
import json
import os
import tempfile

from . import binary as binary_mod
from . import eventlog
from .errors import TunesimError

# The columns of WhatIf.rows, in order: the CLI's report field (or fields, the first present wins)
# each one is read from.
COLUMNS = (
    ("parallelism", ("parallelism",)),
    ("makespan_s", ("makespan_s", "makespan")),
    ("speedup", ("speedup",)),
    ("utilization", ("utilization",)),
    ("idle_core_s", ("idle_core_s",)),
    ("mean_fits", ("mean_concurrent_fits", "mean_fits")),
)


class WhatIf:
    """The CLI's prediction for one event log.

    rows: one row per parallelism with the columns parallelism, makespan_s, speedup, utilization
      (busy core-seconds over available), idle_core_s and mean_fits (fits running at once, on
      average) -- a pandas DataFrame when pandas is installed, else a list of dicts.
    recommended_parallelism, rule: the recommendation and the rule that chose it.
    ties: the parallelisms whose predictions lie within the rule's slack of the fastest, the ones
      it chose among (a smaller one saves memory for about the same time).
    found: what tunesim found in the log (tuner, folds, param maps, fits, cluster), to check it
      read the run right.
    notes: the CLI's notes, then this module's (e.g. events that may not be in the log yet).
    log: the event log read. plot_png: the sweep plot's PNG bytes, when one was drawn.
    raw: the CLI's JSON report, parsed.
    """

    def __init__(self, raw, log=None, notes=(), plot_png=None):
        self.raw = raw
        self.log = log
        self.found = raw.get("found") or {}
        self.recommended_parallelism = raw.get("recommended_parallelism")
        self.rule = raw.get("rule", "")
        self.ties = list(raw.get("ties") or [])
        self.notes = list(raw.get("notes") or []) + list(notes)
        self.plot_png = plot_png
        self.records = [row_of(r) for r in raw.get("results") or []]
        self.rows = _frame(self.records)

    def __repr__(self):
        out = []
        if self.log:
            out.append("tunesim what-if of %s" % self.log)
        out += ["  %s: %s" % (k, v) for k, v in _scalars(self.found)]
        out.append(format_table(self.records))
        out.append(
            "recommended parallelism: %s%s"
            % (self.recommended_parallelism, " (%s)" % _rule(self.rule) if self.rule else "")
        )
        if len(self.ties) > 1:
            out.append("ties (within that slack of the fastest): %s" % ", ".join(map(str, self.ties)))
        out += ["note: %s" % n for n in self.notes]
        return "\n".join(out)

    def _repr_html_(self):
        head = "".join("<th>%s</th>" % html.escape(c) for c, _ in COLUMNS)
        body = "".join(
            "<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(_cell(r[c])) for c, _ in COLUMNS)
            for r in self.records
        )
        found = "".join(
            "<li>%s: %s</li>" % (html.escape(str(k)), html.escape(str(v))) for k, v in _scalars(self.found)
        )
        notes = "".join("<li>%s</li>" % html.escape(n) for n in self.notes)
        return (
            "<div><p><b>tunesim what-if</b>%s</p>%s<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
            "<p>recommended parallelism: <b>%s</b> %s%s</p>%s</div>"
            % (
                " of <code>%s</code>" % html.escape(self.log) if self.log else "",
                "<ul>%s</ul>" % found if found else "",
                head,
                body,
                html.escape(str(self.recommended_parallelism)),
                html.escape("(%s)" % _rule(self.rule)) if self.rule else "",
                "; ties: %s" % html.escape(", ".join(map(str, self.ties))) if len(self.ties) > 1 else "",
                "<ul>%s</ul>" % notes if notes else "",
            )
        )


def row_of(result):
    """One row of WhatIf.rows from one entry of the report's results. A figure given as a
    distribution ({"p50": ...} or field_p50) is read at its median."""
    row = {}
    for col, keys in COLUMNS:
        v = None
        for k in keys:
            v = _median(result, k)
            if v is not None:
                break
        row[col] = v
    return row


def _median(result, key):
    v = result.get(key)
    if isinstance(v, dict):
        v = v.get("p50", v.get("median"))
    if v is None:
        v = result.get(key + "_p50")
    return v


def _frame(records):
    try:
        import pandas  # noqa: PLC0415 - optional
    except ImportError:
        return records
    return pandas.DataFrame(records, columns=[c for c, _ in COLUMNS])


def _rule(rule):
    """The rule without the "recommended: " it may start with (the line already says it)."""
    return rule[len("recommended: ") :] if rule.startswith("recommended: ") else rule


def _scalars(d):
    """The scalar fields of d (nested lists and objects are left to .found and .raw)."""
    return [(k, v) for k, v in d.items() if isinstance(v, (str, int, float, bool)) or v is None]


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.4g" % v if abs(v) < 1e6 else "%.0f" % v
    return str(v)


def format_table(records):
    """records as a fixed-width text table with the COLUMNS."""
    cols = [c for c, _ in COLUMNS]
    cells = [cols] + [[_cell(r.get(c)) for c in cols] for r in records]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cols))]
    return "\n".join("  ".join(s.rjust(w) for s, w in zip(row, widths)) for row in cells)


def parallelism_arg(p):
    """The CLI's --parallelism value for p: "A:B", "A:B:STEP" or "a,b,c" as given, an int, a range
    or an iterable of ints."""
    if isinstance(p, str):
        return p
    if isinstance(p, int):
        return str(p)
    if isinstance(p, range):
        if p.step == 1 and len(p) > 0:
            return "%d:%d" % (p.start, p[-1])
        return ",".join(str(v) for v in p)
    try:
        return ",".join(str(int(v)) for v in p)
    except TypeError as e:
        raise TunesimError(
            'parallelism=%r: allowed are "A:B", "A:B:STEP", "a,b,c", an int or a list of ints' % (p,)
        ) from e


def flag_args(flags):
    """CLI flags from keyword arguments: host_cores=8 -> --host-cores 8; True -> a bare flag;
    None and False are left out."""
    out = []
    for k, v in flags.items():
        if v is None or v is False:
            continue
        name = "--" + k.replace("_", "-")
        out += [name] if v is True else [name, str(v)]
    return out


def in_notebook():
    """Whether this runs in a Jupyter (IPython kernel) session, where images display inline."""
    try:
        from IPython import get_ipython  # noqa: PLC0415 - optional
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    return getattr(ip, "kernel", None) is not None or "IPKernelApp" in getattr(ip, "config", {})


def _show_png(png):
    from IPython.display import Image, display  # noqa: PLC0415 - optional

    display(Image(data=png))


def whatif(
    spark=None,
    parallelism="1:16",
    executors=None,
    cores_per_executor=None,
    plot=True,
    binary=None,
    log=None,
    timeout=None,
    **flags,
):
    """Predicts what the tuning this session ran would have done at each parallelism, from the
    session's own Spark event log, with the tunesim CLI (`simulate whatif LOG --format json`).

    spark: the SparkSession (or SparkContext) that ran the tuning, with spark.eventLog.enabled=true
      and a local spark.eventLog.dir; its log is read as it is now (in progress).
    log: an event log path to read instead of this session's (a file or an eventlog_v2_ directory).
    parallelism: "1:16", "A:B:STEP", "a,b,c", an int, a range or a list of ints.
    executors, cores_per_executor: the cluster to predict for (default: the one the log ran on).
    plot: True draws the sweep plot and shows it inline when running in Jupyter; a file name (.png,
      .svg, .pdf) also writes it there; False draws none.
    binary: the tunesim CLI (default: $TUNESIM_BIN, simulate or tunesim on PATH, or `go run
      ./cmd/simulate` in the checkout this module is in).
    timeout: the seconds the CLI may take (default: no limit); TunesimError after them.
    flags: further CLI flags, e.g. host_cores=8 (--host-cores 8), folds=3, param_maps=4,
      timeline="predicted.png".

    Returns a WhatIf; raises TunesimError with the CLI's message when it refuses the log (exit
    status 2: e.g. no CrossValidator/TrainValidationSplit fits in it).
    """
    notes = []
    if log is None:
        if spark is None:
            raise TunesimError(
                "whatif needs the SparkSession that ran the tuning (tunesim.whatif(spark)) or log=PATH"
            )
        sc = getattr(spark, "sparkContext", spark)
        if not hasattr(sc, "getConf"):
            raise TunesimError(
                "%r has no SparkContext (Spark Connect?): run whatif where the driver runs, or pass log=PATH"
                % (spark,)
            )
        note = eventlog.flush(sc)
        if note:
            notes.append(note)
        log = eventlog.find(sc)
    elif not os.path.exists(log):
        raise TunesimError("log=%s: no such file or directory" % log)
    log = os.path.abspath(os.fspath(log))
    cli = binary_mod.find(binary)

    args = ["whatif", log, "--format", "json", "--parallelism", parallelism_arg(parallelism)]
    if executors is not None:
        args += ["--executors", str(executors)]
    if cores_per_executor is not None:
        args += ["--cores-per-executor", str(cores_per_executor)]
    args += flag_args(flags)

    show = bool(plot) and in_notebook()
    plot_file, tmpdir = None, None
    if isinstance(plot, (str, os.PathLike)):
        plot_file = os.path.abspath(os.fspath(plot))
    elif show:
        tmpdir = tempfile.mkdtemp(prefix="tunesim-")
        plot_file = os.path.join(tmpdir, "sweep.png")
    if plot_file:
        args += ["--plot", plot_file]
    try:
        rc, out, err = cli.run(args, timeout=timeout)
        if rc != 0:
            msg = err.strip() or "exited with status %d and no message" % rc
            raise TunesimError(
                msg if rc == 2 else "%r %s: exit status %d: %s" % (cli, " ".join(args), rc, msg),
                command=cli.argv + args,
                returncode=rc,
                stderr=err,
            )
        try:
            raw = json.loads(out)
        except ValueError as e:
            raise TunesimError(
                "%r %s printed no JSON report (%s); its output began %r"
                % (cli, " ".join(args), e, out[:200]),
                command=cli.argv + args,
                returncode=rc,
                stderr=err,
            ) from e
        png = None
        if plot_file and plot_file.endswith(".png") and os.path.exists(plot_file):
            with open(plot_file, "rb") as f:
                png = f.read()
    finally:
        if tmpdir:
            for name in os.listdir(tmpdir):
                os.remove(os.path.join(tmpdir, name))
            os.rmdir(tmpdir)
    if show and png:
        _show_png(png)
    return WhatIf(raw, log=log, notes=notes, plot_png=png)
