"""tunesim.tag_fits: every job of a tuning run says which fit it belongs to, so the event log of a
run at any parallelism can be read (`simulate whatif` attributes tagged jobs to fits directly).

How PySpark's tuners run fits (pyspark/ml/tuning.py, 3.x and 4.x): for each fold (CrossValidator)
or once (TrainValidationSplit), _fit calls est.fitMultiple(train, paramMaps) on the calling thread
and hands len(paramMaps) tasks, each wrapped by inheritable_thread_target, to a ThreadPool; a task
runs `index, model = next(modelIter)` (Estimator.fitMultiple's _FitMultipleIterator takes the next
index under a lock and calls fitSingleModel(index), i.e. a copy of the estimator's
fit(train, paramMaps[index])) and then evaluates the model on the same thread. After the last fold
_fit refits est.fit(dataset, paramMaps[best]) on the calling thread.

tag_fits makes the tuner's class a same-named subclass whose _fit, for the run, gives its
estimator a same-named subclass too (restored afterwards). That one counts fitMultiple calls as
folds and wraps the iterator's fitSingleModel so each fit first sets, on its own thread, the local
properties
  tunesim.fit        the fit's index in run order: fold x len(paramMaps) + param map; the refit's
                     is folds x len(paramMaps)
  tunesim.fold       the fold (0 for TrainValidationSplit), -1 for the refit
  tunesim.param_map  the param map's index in estimatorParamMaps
  tunesim.param_label  the param map, e.g. "LogisticRegression.regParam=0.1"
which the fit's jobs and the evaluation after it on that thread carry. inheritable_thread_target
hands every pool thread the same java.util.Properties object, so a fit first gives its thread a
private copy (as spark/tune.py does). The refit's tags are set on a copy of the calling thread's
properties and the caller's own are put back after it. Nothing else changes: the same estimator
code fits the same param maps on the same data (tests check avgMetrics and bestModel).

This module is the one Python definition of these properties (the Go one is package sparklog's
Prop* constants): spark/tune.py tags its fits with tag_fits too, giving its own param-map labels
and the extra properties it sets (tunesim.phase, a FAIR scheduler pool per thread).
"""

import threading
from typing import Any, Callable, Dict, Optional

from .errors import TunesimError

FIT, FOLD, PARAM_MAP, PARAM_LABEL = "tunesim.fit", "tunesim.fold", "tunesim.param_map", "tunesim.param_label"
# PHASE says what a harness's job was for ("warmup", "tune"); spark/tune.py sets it.
PHASE = "tunesim.phase"
# Every property a tagged fit (or spark/tune.py) may leave on a thread.
PROPERTIES = (FIT, PARAM_MAP, FOLD, PARAM_LABEL, PHASE)

Labeler = Callable[[int], str]
Extra = Callable[[], Dict[str, str]]

_lock = threading.Lock()
_tagged_tuners: dict[type, type] = {}  # tuner class -> its tagged subclass


def tag_fits(tuner: Any, label: Optional[Labeler] = None, extra: Optional[Extra] = None) -> Any:
    """Makes every job of each fit of tuner (a pyspark.ml.tuning CrossValidator or
    TrainValidationSplit) carry the local properties tunesim.fit, tunesim.fold (-1: the final refit)
    and tunesim.param_map, so that the event log of a run at any parallelism can be read by
    `simulate whatif` / tunesim.whatif. Returns tuner (the same object), which keeps working as
    before: same results, saved and loaded as the class it was. Needs a classic (non-Connect)
    SparkSession in PySpark's pinned-thread mode (the default since Spark 3.2).

    label, when given, is a param map's tunesim.param_label from its index in the tuner's
    estimatorParamMaps (else "<owner class>.<param>=<value> ..."); extra, when given, returns
    further local properties, called on the fit's thread whenever it is tagged."""
    from pyspark.ml.tuning import CrossValidator, TrainValidationSplit  # noqa: PLC0415

    if not isinstance(tuner, (CrossValidator, TrainValidationSplit)):
        raise TunesimError(
            "tag_fits(%r): allowed is a pyspark.ml.tuning CrossValidator or TrainValidationSplit" % (tuner,)
        )
    tuner._tunesim_label, tuner._tunesim_extra = label, extra
    cls = type(tuner)
    if getattr(cls, "_tunesim_tagged", False):
        return tuner
    with _lock:
        sub = _tagged_tuners.get(cls)
        if sub is None:
            sub = _same_named(cls, {"_fit": _tagged_fit(cls), "_tunesim_tagged": True})
            _tagged_tuners[cls] = sub
    tuner.__class__ = sub
    return tuner


def _same_named(cls, attrs):
    """A subclass of cls with cls's name, qualified name and module: pyspark's writers save a
    stage's class by its module and name, so a saved tuner or pipeline loads as cls."""
    attrs = dict(attrs, __module__=cls.__module__, __qualname__=cls.__qualname__, __doc__=cls.__doc__)
    return type(cls)(cls.__name__, (cls,), attrs)


def _tagged_fit(cls):
    def _fit(self, dataset):
        est = self.getEstimator()
        run = _Run(
            _context(),
            list(self.getEstimatorParamMaps()),
            getattr(self, "_tunesim_label", None),
            getattr(self, "_tunesim_extra", None),
        )
        own = type(est)
        est.__class__ = _same_named(own, {"fit": run.fit_of(own), "fitMultiple": run.fit_multiple_of(own)})
        try:
            return cls._fit(self, dataset)
        finally:
            est.__class__ = own

    _fit.__doc__ = cls._fit.__doc__
    return _fit


def _context():
    from pyspark import SparkContext  # noqa: PLC0415

    sc = SparkContext._active_spark_context
    if sc is None:
        raise TunesimError(
            "tag_fits needs a classic SparkSession: this one has no SparkContext (Spark Connect has no "
            "local properties)"
        )
    try:
        from py4j.clientserver import ClientServer  # noqa: PLC0415

        pinned = isinstance(SparkContext._gateway, ClientServer)
    except ImportError:
        pinned = False
    if not pinned:
        import warnings  # noqa: PLC0415

        warnings.warn(
            "tunesim.tag_fits: PySpark's pinned-thread mode is off (PYSPARK_PIN_THREAD=false), so a Python "
            "thread's local properties may land on another thread's jobs; fits running at once may be "
            "tagged wrongly",
            RuntimeWarning,
            stacklevel=4,
        )
    return sc


class _Run:
    """One tuning run's tagging state: the param maps, the folds seen, which threads are inside a
    tagged fit."""

    def __init__(
        self, sc, param_maps, label: Optional[Labeler] = None, extra: Optional[Extra] = None
    ) -> None:
        self.sc = sc
        self.maps = param_maps
        self.labeler, self.extra = label, extra
        self.folds = 0
        self.lock = threading.Lock()
        self.inner = threading.local()

    def label(self, m):
        if not 0 <= m < len(self.maps):
            return ""
        if self.labeler is not None:
            return self.labeler(m)
        parts = []
        for p, v in self.maps[m].items():
            owner = str(getattr(p, "parent", "")).split("_")[0]
            parts.append("%s%s=%s" % (owner + "." if owner else "", p.name, v))
        return " ".join(parts)

    def tag(self, fit, fold, m):
        """Gives the current thread a private copy of its local properties holding the fit's tags."""
        jsc = self.sc._jsc.sc()
        jsc.setLocalProperties(jsc.getLocalProperties().clone())
        self.sc.setLocalProperty(FIT, str(fit))
        self.sc.setLocalProperty(FOLD, str(fold))
        self.sc.setLocalProperty(PARAM_MAP, str(m))
        self.sc.setLocalProperty(PARAM_LABEL, self.label(m))
        if self.extra is not None:
            for k, v in self.extra().items():
                self.sc.setLocalProperty(k, v)

    def fit_multiple_of(self, own):
        run = self

        def fitMultiple(self, dataset, paramMaps):  # noqa: N802 - pyspark's name
            with run.lock:
                fold = run.folds
                run.folds += 1
            it = own.fitMultiple(self, dataset, paramMaps)
            n = len(paramMaps)
            single = getattr(it, "fitSingleModel", None)
            if callable(single):

                def tagged(index):
                    run.tag(fold * n + index, fold, index)
                    return run.inside(single, index)

                it.fitSingleModel = tagged
                return it
            return _InOrder(run, it, fold, n)

        return fitMultiple

    def inside(self, f, *args):
        """f(*args) marked as a fit the tuner's pool started (not the refit)."""
        self.inner.on = True
        try:
            return f(*args)
        finally:
            self.inner.on = False

    def fit_of(self, own):
        run = self

        def fit(self, dataset, params=None):
            if getattr(run.inner, "on", False) or not isinstance(params, dict) or run.folds == 0:
                return own.fit(self, dataset, params)
            # The refit on the calling thread, after every fold.
            m = next((i for i, pm in enumerate(run.maps) if pm == params), -1)
            jsc = run.sc._jsc.sc()
            caller = jsc.getLocalProperties()
            run.tag(run.folds * len(run.maps), -1, m)
            try:
                return own.fit(self, dataset, params)
            finally:
                jsc.setLocalProperties(caller)

        return fit


class _InOrder:
    """Tags the fits of an estimator whose own fitMultiple returns another iterator than PySpark's
    _FitMultipleIterator: fits are tagged in the order they start, as param maps 0, 1, ... (the
    order PySpark's iterator hands them out)."""

    def __init__(self, run, it, fold, n):
        self.run, self.it, self.fold, self.n = run, it, fold, n
        self.started = 0
        self.lock = threading.Lock()

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            m = self.started
            self.started += 1
        if m < self.n:
            self.run.tag(self.fold * self.n + m, self.fold, m)
        return self.run.inside(next, self.it)

    next = __next__
