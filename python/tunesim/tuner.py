"""tunesim.adaptive: a CrossValidator or TrainValidationSplit that picks its own `parallelism`.

    cv = tunesim.adaptive(CrossValidator(estimator=..., estimatorParamMaps=grid, evaluator=..., numFolds=3))
    model = cv.fit(df)   # a serial sample, then the rest at the parallelism tunesim recommends
    model.tunesim        # what was sampled, predicted and chosen; the measured total against the predicted

The fit is PySpark's own _fit (pyspark/ml/tuning.py, 3.5 and 4.x) step for step -- the folds from
_kFold with the same seed (or the same train/validation split), the fits handed out by one
est.fitMultiple iterator per round through _parallelFitTasks, the metrics averaged the same way,
the same refit and model -- except that the first fits run one at a time:

  - CrossValidator: fold 1 (every param map), then fold 2's first fit;
  - TrainValidationSplit: the fits up to the first of each distinct estimator shape (see
    shape_of; at least two), then one more.

The last serial fit stands in for the refit when `simulate whatif LOG --folds 1` reads
the session's event log so far (the sample as a one-round tuning); the CPU the application used
over the sample is measured from /proc as tunesim.measure does and passed as --app-cpu. The round's
predicted time at each parallelism, prorated to the fits left and warmed as the sample's own fit
times fall (warm_factor: a fresh JVM keeps compiling), gives the predicted rest; the CLI's
recommended parallelism runs the rest. Anything that goes wrong in tunesim (no CLI, a log it
cannot read, no answer within the timeout) runs the rest at the tuner's own parallelism with a
warning: the tuning never fails because of tunesim.

The sample is read untagged (the CLI finds the fits by their jobs): do not tag_fits an adaptive
tuner. The log of an adaptive run, serial then parallel, is not one whatif can read afterwards;
model.tunesim has the figures.
"""

from __future__ import annotations

import inspect
import logging
import math
import time
import warnings
from typing import Any, Callable, Sequence

from . import binary as binary_mod
from . import cpu, eventlog
from .errors import TunesimError
from .predict import WhatIf, whatif

logger = logging.getLogger("tunesim")

# Params whose value changes the shape of a fit's work (how many jobs, passes or trees it runs), by
# name. Any param with a value other than a number (a string, a bool, a list) counts as well.
SHAPE_PARAMS = frozenset(
    {
        "maxIter",
        "maxDepth",
        "numTrees",
        "maxBins",
        "numFeatures",
        "k",
        "layers",
        "rank",
        "numHashTables",
        "vocabSize",
        "minDocFreq",
        "numTopFeatures",
        "subsamplingRate",
        "checkpointInterval",
        "aggregationDepth",
        "blockSize",
        "maxMemoryInMB",
    }
)

# The seconds `simulate whatif` may take before the tuning goes on without it.
DEFAULT_TIMEOUT_S = 60.0

# The largest parallelism asked about.
MAX_PARALLELISM = 16


def shape_of(param_map: Any) -> tuple[tuple[str, str], ...]:
    """A param map's estimator shape: its params that change how much work a fit does (SHAPE_PARAMS,
    and any value that is not a number), as sorted (name, value) pairs."""
    out = []
    for p, v in param_map.items():
        name = getattr(p, "name", str(p))
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if name in SHAPE_PARAMS or not number:
            out.append((name, repr(v)))
    return tuple(sorted(out))


class Sample:
    """The fits a tuning runs one at a time before choosing: serial fits in the order the tuner
    starts them (the last stands in for the refit in the sample's log), the round the others
    form (round_fits), the fits left after them (rest_fits, the refit aside), and why, or why the
    tuning is not sampled (adapt False: it runs at the tuner's own parallelism)."""

    def __init__(
        self, adapt: bool, why: str, serial: int = 0, round_fits: int = 0, rest_fits: int = 0
    ) -> None:
        self.adapt, self.why = adapt, why
        self.serial, self.round_fits, self.rest_fits = serial, round_fits, rest_fits

    def __repr__(self) -> str:
        return "Sample(adapt=%r, serial=%d, round_fits=%d, rest_fits=%d, why=%r)" % (
            self.adapt,
            self.serial,
            self.round_fits,
            self.rest_fits,
            self.why,
        )


def plan_sample(folds: int, param_maps: Sequence[Any]) -> Sample:
    """The sample of a tuning of folds folds (1: TrainValidationSplit) over param_maps."""
    n = len(param_maps)
    if n < 2:
        return Sample(False, "one param map: parallelism changes nothing")
    if folds > 1:
        serial = n + 1
        why = "fold 1 (%d fits) and fold 2's first fit, one at a time" % n
        round_fits, total = n, folds * n
    else:
        first: dict[tuple[tuple[str, str], ...], int] = {}
        for i, pm in enumerate(param_maps):
            first.setdefault(shape_of(pm), i)
        round_fits = max(2, max(first.values()) + 1)
        serial, total = round_fits + 1, n
        why = "the first %d fits (%d estimator shape%s), then one more, one at a time" % (
            round_fits,
            len(first),
            "" if len(first) == 1 else "s",
        )
    rest = total - serial
    if rest < 2:
        return Sample(
            False, "%d fits in all: a sample of %d leaves too few to run in parallel" % (total, serial)
        )
    return Sample(True, why, serial, round_fits, rest)


class Report:
    """What an adaptive tuning did (model.tunesim).

    tuner: "CrossValidator" or "TrainValidationSplit"; sampled: which fits ran one at a time;
    sample_s: the seconds until the choice (the sample, reading its log and the CLI), of which
    whatif_s flushing the log, measuring and the CLI (the overhead besides the serial fits);
    predicted_rest_s: {parallelism: predicted seconds of the rest}; warm_factor: how long the
    fits left are predicted to take against as many of the sample's (the JVM warming up, see
    warm_factor; 1 when the sample shows no warming); recommended: the CLI's
    recommendation; parallelism: the parallelism the rest ran at; user_parallelism: the tuner's
    own; fallback: why tunesim's choice was not used (None when it was); app_cpu_s: the CPU the
    application used over the sample, measured (None on a machine without /proc);
    predicted_total_s, predicted_serial_total_s: the sample plus the predicted rest at the chosen
    parallelism and at 1; measured_total_s: the whole fit, measured; saved_s: predicted serial
    total less the measured total (the time saved against serial); whatif: the CLI's WhatIf of
    the sample.
    """

    def __init__(self, tuner: str, sample: Sample, user_parallelism: int) -> None:
        self.tuner = tuner
        self.sample = sample
        self.sampled = sample.why
        self.user_parallelism = user_parallelism
        self.parallelism = user_parallelism
        self.recommended: int | None = None
        self.fallback: str | None = None if sample.adapt else sample.why
        self.sample_s: float | None = None
        self.whatif_s: float | None = None
        self.app_cpu_s: float | None = None
        self.predicted_rest_s: dict[int, float] = {}
        self.warm_factor: float | None = None
        self.predicted_total_s: float | None = None
        self.predicted_serial_total_s: float | None = None
        self.measured_total_s: float | None = None
        self.saved_s: float | None = None
        self.whatif: WhatIf | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report's figures as a dict (the WhatIf left out)."""
        return {
            k: v for k, v in vars(self).items() if k not in ("whatif", "sample") and not k.startswith("_")
        }

    def line(self) -> str:
        """The report in one line, as logged."""
        head = "tunesim.adaptive %s: " % self.tuner
        if self.fallback is not None:
            head += "ran at the tuner's parallelism %d (%s)" % (self.parallelism, self.fallback)
        else:
            head += "sampled %s in %.1f s; whatif recommends parallelism %s, predicting %s s for the rest" % (
                self.sampled,
                self.sample_s or 0.0,
                self.recommended,
                _s(self.predicted_rest_s.get(self.parallelism)),
            )
        if self.measured_total_s is not None:
            head += "; took %.1f s" % self.measured_total_s
            if self.predicted_total_s is not None:
                head += " (predicted %.1f s" % self.predicted_total_s
                if self.saved_s is not None:
                    head += ", %.1f s saved against serial" % self.saved_s
                head += ")"
        return head

    def __repr__(self) -> str:
        return self.line()


def _s(v: float | None) -> str:
    return "?" if v is None else "%.1f" % v


def warm_factor(durations: Sequence[float], rest_fits: int) -> float:
    """How long the fits left take against as many of the sample's round: the sample's serial fit
    times (in the order they ran, the stand-in last) show the JVM warming up, and the rest goes on
    warming. The fits after the first (which also pays the JVM's one-off start) are fitted by a
    power law of their place, d_k = c k^-a (least squares on the logs, a in [0, 1]: 0 when they
    show no warming), and the fits left, at places len(durations) on, are priced by it. Measured on
    the plain serial runs of 2026-12-05 (lr-text, dt-cv; fresh local[2]): fold 2 and 3 took 14.0-14.9 s,
    this prices them at 15.1-17.9 s; the sample's own round, prorated, at 25-29 s. Held out
    (2026-12-06, adaptive runs of gbt-cv, kmeans, mlp-cv) it priced rests of 10.7-15.2 s at
    7.5-12.2 s (at the parallelism each chose): too fast where the param maps' costs differ
    most, as the fit's place stands for both warming and map. 1 when there are too few fits to
    fit (three, the first aside)."""
    d = [float(x) for x in durations]
    n = len(d) - 1  # the round: the fits before the stand-in
    if n < 1 or rest_fits < 1 or len(d) < 4 or min(d) <= 0:
        return 1.0
    xs = [math.log(k) for k in range(1, len(d))]
    ys = [math.log(v) for v in d[1:]]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    a = 0.0 if sxx <= 0 else -sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = min(max(a, 0.0), 1.0)
    c = math.exp(my + a * mx)
    rest = sum(c * k**-a for k in range(len(d), len(d) + rest_fits))
    return min(rest / (sum(d[:n]) * rest_fits / n), 1.0)


def predict_rest(
    sample: Sample, makespans: dict[int, float], standin_s: float, warm: float = 1.0
) -> dict[int, float]:
    """The predicted seconds of the fits left and the refit, at each parallelism: the sample's
    round (its predicted makespan less the stand-in refit, which runs alone at every parallelism)
    prorated to the fits left and warmed by warm (see warm_factor), plus one fit's time for the
    refit (the stand-in's)."""
    out = {}
    for p, m in makespans.items():
        round_s = max(m - standin_s, 0.0)
        out[p] = round_s * sample.rest_fits / sample.round_fits * warm + standin_s
    return out


def choose(
    log: str,
    sample: Sample,
    report: Report,
    max_parallelism: int,
    app_cpu_s: float | None = None,
    host_cores: int | None = None,
    binary: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    from_job: int | None = None,
    run_whatif: Callable[..., WhatIf] = whatif,
) -> None:
    """Asks the CLI about the sample in log (from job from_job on, when given) and sets report's
    prediction and parallelism; on any failure sets report.fallback instead (the tuner's own
    parallelism stays) and warns."""
    try:
        flags: dict[str, Any] = {"folds": 1}
        if app_cpu_s is not None and app_cpu_s > 0:
            flags["app_cpu"] = "%.3f" % app_cpu_s
        if host_cores:
            flags["host_cores"] = host_cores
        if from_job:
            flags["from_job"] = from_job
        w = run_whatif(
            log=log,
            parallelism="1:%d" % max(max_parallelism, 1),
            plot=False,
            binary=binary,
            timeout=timeout,
            **flags,
        )
        report.whatif = w
        makespans = {
            int(r["parallelism"]): float(r["makespan_s"])
            for r in w.records
            if r.get("parallelism") is not None and r.get("makespan_s") is not None
        }
        p = w.recommended_parallelism
        if not isinstance(p, int) or p < 1 or p not in makespans:
            raise TunesimError("whatif recommended %r, not one of %s" % (p, sorted(makespans)))
        fits = w.found.get("fits") or []
        standin = fits[-1].get("duration_s") if fits and fits[-1].get("refit") else None
        if not isinstance(standin, (int, float)):
            raise TunesimError("whatif's report names no refit (the sample's last fit) with its duration")
        durations = [f.get("duration_s") for f in fits]
        warm = 1.0
        if all(isinstance(x, (int, float)) for x in durations):
            warm = warm_factor(durations, sample.rest_fits)
        report.warm_factor = warm
        report.predicted_rest_s = predict_rest(sample, makespans, float(standin), warm)
        report.recommended = p
        report.parallelism = p
    except Exception as e:  # noqa: BLE001 - the tuning never fails because of tunesim
        fall_back(report, "tunesim could not choose", e)


def fall_back(report: Report, what: str, err: BaseException) -> None:
    """Records on report that tunesim's choice is not used (what went wrong, and the error's first
    line) and warns: the rest runs at the tuner's own parallelism."""
    first = (str(err).strip().splitlines() or [repr(err)])[0]
    report.fallback = "%s: %s" % (what, first)
    report.parallelism = report.user_parallelism
    warnings.warn(
        "tunesim.adaptive: %s; the rest runs at the tuner's parallelism %d"
        % (report.fallback, report.user_parallelism),
        RuntimeWarning,
        stacklevel=3,
    )


def adaptive(
    tuner: Any,
    binary: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    max_parallelism: int = MAX_PARALLELISM,
) -> Any:
    """Makes tuner (a pyspark.ml.tuning CrossValidator or TrainValidationSplit) choose its own
    parallelism when it fits: a serial sample, `simulate whatif` on the sample's event log, the
    rest at the recommended parallelism (see the module). Returns tuner (the same object, saved
    and loaded as the class it was); its model carries .tunesim, a Report. Results are those of
    the tuner's own fit: the same avgMetrics, best param map and refit model.

    binary: the tunesim CLI (default: as tunesim.whatif finds it); timeout: the seconds the CLI may
    take; max_parallelism: the largest parallelism considered (never more than the param maps).
    Needs a classic SparkSession writing its event log (spark.eventLog.enabled=true, a local
    spark.eventLog.dir); without one the tuning runs at its own parallelism with a warning."""
    from pyspark.ml.tuning import CrossValidator, TrainValidationSplit  # noqa: PLC0415

    from .tagging import _same_named  # noqa: PLC0415

    if not isinstance(tuner, (CrossValidator, TrainValidationSplit)):
        raise TunesimError(
            "adaptive(%r): allowed is a pyspark.ml.tuning CrossValidator or TrainValidationSplit" % (tuner,)
        )
    tuner._tunesim_adaptive = {"binary": binary, "timeout": timeout, "max_parallelism": max_parallelism}
    cls = type(tuner)
    if getattr(cls, "_tunesim_adaptive_class", False):
        return tuner
    base = CrossValidator if isinstance(tuner, CrossValidator) else TrainValidationSplit
    if cls._fit is not base._fit:
        warnings.warn(
            "tunesim.adaptive: %s has a _fit of its own; it is replaced by PySpark's %s._fit with a sample"
            % (cls.__name__, base.__name__),
            RuntimeWarning,
            stacklevel=2,
        )
    tuner.__class__ = _same_named(cls, {"_fit": _adaptive_fit, "_tunesim_adaptive_class": True})
    return tuner


def next_job_id(sc: Any) -> int | None:
    """The id the next job of SparkContext sc will get (the DAGScheduler's counter; else one more
    than the largest job id the status tracker knows), None when neither can be read: the sample
    is then read from the log's beginning."""
    try:
        return int(sc._jsc.sc().dagScheduler().nextJobId().get())
    except Exception:  # noqa: BLE001 - an internal API that may move
        pass
    try:
        t = sc.statusTracker()
        ids = list(t.getJobIdsForGroup(None)) + list(t.getActiveJobsIds())
        return max(ids) + 1 if ids else None
    except Exception:  # noqa: BLE001
        return None


def _thread_target(session: Any) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """PySpark's inheritable_thread_target as its tuners use it: given the session (3.5, 4.x) or
    as the wrapper itself (older)."""
    from pyspark.util import inheritable_thread_target  # noqa: PLC0415

    f = inspect.signature(inheritable_thread_target).parameters.get("f")
    if f is not None and f.default is None:
        return inheritable_thread_target(session)
    return inheritable_thread_target


class _Run:
    """One adaptive fit: runs each round's tasks, the first sample.serial of them one at a time,
    then chooses and runs the rest at the chosen parallelism."""

    def __init__(self, tuner: Any, dataset: Any, kind: str, folds: int) -> None:
        self.tuner, self.dataset = tuner, dataset
        self.opts = getattr(tuner, "_tunesim_adaptive", None) or {}
        self.maps = list(tuner.getOrDefault(tuner.estimatorParamMaps))
        self.sample = plan_sample(folds, self.maps)
        self.report = Report(kind, self.sample, tuner.getParallelism())
        self.serial_left = self.sample.serial if self.sample.adapt else 0
        self.wrap = _thread_target(dataset.sparkSession)
        self.start = time.monotonic()
        self.sc = dataset.sparkSession.sparkContext
        self.jvm = cpu.jvm_pid(self.sc)
        self.first_job = next_job_id(self.sc)
        self.before = self._snapshot()
        if self.serial_left > 0:
            # Without an event log or a CLI there is nothing to sample for: no serial fits.
            try:
                eventlog.find(self.sc)
                binary_mod.find(self.opts.get("binary"))
            except Exception as e:  # noqa: BLE001 - the tuning never fails because of tunesim
                self.serial_left = 0
                fall_back(self.report, "tunesim cannot sample this tuning", e)

    def _snapshot(self) -> cpu.Snapshot | None:
        try:
            return cpu.Snapshot(self.jvm)
        except (OSError, ValueError, IndexError):
            return None

    def round(self, tasks: list[Any], put: Callable[[int, float, Any], None]) -> None:
        """Runs one round's tasks (_parallelFitTasks: each takes the round's next fit) and hands
        each (param map index, metric, sub-model) to put."""
        n = min(self.serial_left, len(tasks))
        if n > 0:
            self._pool(tasks[:n], 1, put)
            self.serial_left -= n
            if self.serial_left == 0:
                self._choose()
        if n < len(tasks):
            self._pool(tasks[n:], self.report.parallelism, put)

    def _pool(self, tasks: list[Any], parallelism: int, put: Callable[[int, float, Any], None]) -> None:
        from multiprocessing.pool import ThreadPool  # noqa: PLC0415

        pool = ThreadPool(processes=max(1, min(parallelism, len(tasks))))
        try:
            for j, metric, sub in pool.imap_unordered(lambda f: f(), map(self.wrap, tasks)):
                put(j, metric, sub)
        finally:
            pool.close()
            pool.join()

    def _choose(self) -> None:
        r = self.report
        asked = time.monotonic()
        try:
            note = eventlog.flush(self.sc)
            if note:
                raise TunesimError(note)
            log = eventlog.find(self.sc)
            after = self._snapshot()
            if self.before is not None and after is not None:
                r.app_cpu_s = (after.jvm - self.before.jvm) + (after.python - self.before.python)
                if self.jvm is None:
                    r.app_cpu_s = None
            master = self.sc.master or ""
            host_cores = after.cores if after is not None and master.startswith("local") else None
        except Exception as e:  # noqa: BLE001 - the tuning never fails because of tunesim
            fall_back(r, "tunesim could not read the sample's event log", e)
        else:
            choose(
                log,
                self.sample,
                r,
                min(int(self.opts.get("max_parallelism", MAX_PARALLELISM)), self.sample.round_fits),
                app_cpu_s=r.app_cpu_s,
                host_cores=host_cores,
                binary=self.opts.get("binary"),
                timeout=self.opts.get("timeout", DEFAULT_TIMEOUT_S),
                from_job=self.first_job,
            )
        r.sample_s = time.monotonic() - self.start
        r.whatif_s = time.monotonic() - asked

    def finish(self, model: Any) -> Any:
        r = self.report
        r.measured_total_s = time.monotonic() - self.start
        if r.fallback is None and r.sample_s is not None and r.predicted_rest_s:
            r.predicted_total_s = r.sample_s + r.predicted_rest_s[r.parallelism]
            if 1 in r.predicted_rest_s:
                r.predicted_serial_total_s = r.sample_s + r.predicted_rest_s[1]
                r.saved_s = r.predicted_serial_total_s - r.measured_total_s
        logger.info(r.line())
        model.tunesim = r
        return model


def _avg_and_std(metrics_all: list[list[float]]) -> tuple[list[float], list[float]]:
    from pyspark.ml.tuning import CrossValidator  # noqa: PLC0415

    gen = getattr(CrossValidator, "_gen_avg_and_std_metrics", None)
    if gen is not None:
        return gen(metrics_all)
    import numpy as np  # noqa: PLC0415

    return list(np.mean(metrics_all, axis=0)), list(np.std(metrics_all, axis=0))


def _adaptive_fit(self: Any, dataset: Any) -> Any:
    """PySpark's CrossValidator._fit or TrainValidationSplit._fit with a serial sample first."""
    import numpy as np  # noqa: PLC0415
    from pyspark.ml.tuning import (  # noqa: PLC0415
        CrossValidator,
        CrossValidatorModel,
        TrainValidationSplitModel,
        _parallelFitTasks,
    )
    from pyspark.sql.functions import rand  # noqa: PLC0415

    est = self.getOrDefault(self.estimator)
    epm = self.getOrDefault(self.estimatorParamMaps)
    n = len(epm)
    eva = self.getOrDefault(self.evaluator)
    collect = self.getCollectSubModels()
    if isinstance(self, CrossValidator):
        folds = self.getOrDefault(self.numFolds)
        run = _Run(self, dataset, "CrossValidator", folds)
        metrics_all = [[0.0] * n for _ in range(folds)]
        cv_subs: list[list[Any]] | None = [[None] * n for _ in range(folds)] if collect else None
        datasets = self._kFold(dataset)
        for i in range(folds):
            validation = datasets[i][1].cache()
            train = datasets[i][0].cache()

            def put(j: int, metric: float, sub: Any, i: int = i) -> None:
                metrics_all[i][j] = metric
                if cv_subs is not None:
                    cv_subs[i][j] = sub

            run.round(_parallelFitTasks(est, train, eva, validation, epm, collect), put)
            validation.unpersist()
            train.unpersist()
        metrics, std_metrics = _avg_and_std(metrics_all)
        best = np.argmax(metrics) if eva.isLargerBetter() else np.argmin(metrics)
        best_model = est.fit(dataset, epm[best])
        model = self._copyValues(CrossValidatorModel(best_model, metrics, cv_subs, std_metrics))
        return run.finish(model)

    run = _Run(self, dataset, "TrainValidationSplit", 1)
    ratio = self.getOrDefault(self.trainRatio)
    seed = self.getOrDefault(self.seed)
    df = dataset.select("*", rand(seed).alias(self.uid + "_rand"))
    condition = df[self.uid + "_rand"] >= ratio
    validation = df.filter(condition).cache()
    train = df.filter(~condition).cache()
    tvs_metrics: list[Any] = [None] * n
    tvs_subs: list[Any] | None = [None] * n if collect else None

    def put_tvs(j: int, metric: float, sub: Any) -> None:
        tvs_metrics[j] = metric
        if tvs_subs is not None:
            tvs_subs[j] = sub

    run.round(_parallelFitTasks(est, train, eva, validation, epm, collect), put_tvs)
    train.unpersist()
    validation.unpersist()
    best = np.argmax(tvs_metrics) if eva.isLargerBetter() else np.argmin(tvs_metrics)
    best_model = est.fit(dataset, epm[best])
    return run.finish(self._copyValues(TrainValidationSplitModel(best_model, tvs_metrics, tvs_subs)))
