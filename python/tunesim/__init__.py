"""tunesim from a PySpark session: what would the tuning you just ran have taken at each
`parallelism`?

    import tunesim
    tunesim.whatif(spark)            # predicts parallelism 1..16 from this session's event log
    tunesim.tag_fits(cv)             # before cv.fit: makes a parallel run's log readable too
    with tunesim.measure(spark):     # around cv.fit: the CPU the log does not show, for whatif
        cv.fit(df)
    model = tunesim.adaptive(cv).fit(df)  # a serial sample, then the parallelism tunesim recommends
    model.tunesim                    # what it sampled, predicted and chose

whatif needs the session built with spark.eventLog.enabled=true (and a local spark.eventLog.dir)
and the tunesim CLI (`go build -o ~/bin/simulate ./cmd/simulate` in a tunesim checkout). Pure
Python; pandas (rows as a DataFrame) and IPython (the plot inline) are used when installed.
"""

from .cpu import measure
from .errors import TunesimError
from .eventlog import find as _find_log
from .predict import WhatIf, whatif
from .tagging import tag_fits
from .tuner import Report, adaptive

__all__ = ["whatif", "tag_fits", "measure", "adaptive", "event_log", "WhatIf", "Report", "TunesimError"]


def event_log(spark):
    """The path of the event log the session spark (a SparkSession or SparkContext) is writing."""
    return _find_log(getattr(spark, "sparkContext", spark))
