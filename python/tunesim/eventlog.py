"""Finding the running application's Spark event log from its SparkContext.

Spark writes the log of application APP (an application id such as local-1700000000000, sanitized
as Spark's EventLogFileWriter does) under spark.eventLog.dir as either
  - a rolling log (spark.eventLog.rolling.enabled, the default since Spark 4.0): a directory
    eventlog_v2_APP/ holding events_N_APP[.codec] files and an appstatus_APP[.inprogress] marker, or
  - a single file APP[.codec][.inprogress] (.inprogress while the application runs).
tunesim reads either form, in progress or not.
"""

import os
import re
from urllib.parse import unquote, urlparse

from .errors import TunesimError

# Spark's default spark.eventLog.dir (EventLoggingListener.DEFAULT_LOG_DIR).
DEFAULT_DIR = "/tmp/spark-events"

ROLLING_PREFIX = "eventlog_v2_"

# Codec suffixes Spark gives a log file (spark.eventLog.compression.codec's short names).
CODECS = ("zstd", "lz4", "snappy", "lzf")

ENABLE_HINT = (
    'set it when building the session: SparkSession.builder.config("spark.eventLog.enabled", "true")'
    '.config("spark.eventLog.dir", "file:///tmp/spark-events")... (the directory must exist), '
    "then run the tuning again"
)


def sanitize(name):
    """An application or attempt id as Spark names its log (Utils.sanitizeDirName)."""
    return re.sub(r"[.${}'\"]", "_", re.sub(r"[ :/]", "-", name)).lower()


def local_dir(uri):
    """The local directory a spark.eventLog.dir value names: a file: URI or a path without a scheme
    (Spark resolves it against the driver's working directory). Other filesystems raise
    TunesimError."""
    if uri is None or uri.strip() == "":
        return DEFAULT_DIR
    uri = uri.strip()
    u = urlparse(uri)
    scheme = u.scheme.lower()
    if scheme == "" or (len(scheme) == 1 and re.match(r"^[A-Za-z]:[\\/]", uri)):  # a path, or C:\...
        return os.path.abspath(uri)
    if scheme == "file":
        if u.netloc not in ("", "localhost"):
            raise TunesimError(
                "spark.eventLog.dir is %s: a file: URI on host %r; only local directories (file:///path) "
                "are supported" % (uri, u.netloc)
            )
        return unquote(u.path)
    raise TunesimError(
        "spark.eventLog.dir is %s: remote filesystems (%s:) are not supported yet; copy the application's "
        "log (the directory eventlog_v2_<appId>/ or the file <appId>[.zstd]) to a local disk and run "
        "`simulate whatif PATH`, or tunesim.whatif(spark, log=PATH)" % (uri, scheme)
    )


def find_in_dir(directory, app_id, attempt_id=None):
    """The path of application app_id's event log in directory: its rolling log's directory or its
    log file. When several match (attempts), the most recently modified. Raises TunesimError saying
    what was looked for when there is none."""
    base = sanitize(app_id)
    if attempt_id:
        base += "_" + sanitize(attempt_id)
    plain = re.compile(r"^%s(_[^.]+)?(\.(%s))?(\.inprogress)?$" % (re.escape(base), "|".join(CODECS)))
    rolling = re.compile(r"^%s%s(_[^.]+)?$" % (re.escape(ROLLING_PREFIX), re.escape(base)))
    try:
        names = os.listdir(directory)
    except OSError as e:
        raise TunesimError(
            "spark.eventLog.dir %s cannot be listed (%s); the event log of %s is written there"
            % (directory, e.strerror or e, app_id)
        ) from e
    found = []
    for name in names:
        path = os.path.join(directory, name)
        if rolling.match(name) and os.path.isdir(path):
            if any(n.startswith("events_") for n in os.listdir(path)):
                found.append(path)
        elif plain.match(name) and os.path.isfile(path):
            found.append(path)
    if not found:
        raise TunesimError(
            "no event log of application %s in %s (looked for %s%s/ and "
            "%s[.zstd|.lz4|.snappy][.inprogress]); "
            "Spark creates it when the SparkContext starts, so this session's spark.eventLog.dir may differ "
            "from the one it was started with" % (app_id, directory, ROLLING_PREFIX, base, base)
        )
    return max(found, key=lambda p: (os.path.getmtime(p), p))


def find(sc):
    """The event log of the application sc (a SparkContext) is writing: checks spark.eventLog.enabled,
    resolves spark.eventLog.dir and the application (and attempt) id."""
    conf = sc.getConf()
    if (conf.get("spark.eventLog.enabled", "false") or "").strip().lower() != "true":
        raise TunesimError(
            "this SparkSession writes no event log (spark.eventLog.enabled is not true); " + ENABLE_HINT
        )
    directory = local_dir(conf.get("spark.eventLog.dir", None))
    return find_in_dir(directory, sc.applicationId, _attempt_id(sc))


def _attempt_id(sc):
    """The application's attempt id (YARN and Kubernetes cluster mode), None when it has none."""
    try:
        opt = sc._jsc.sc().applicationAttemptId()
        return str(opt.get()) if opt.isDefined() else None
    except Exception:  # noqa: BLE001 - not a JVM SparkContext, or an API that moved: no attempt id
        return None


def flush(sc):
    """Waits until Spark's listener bus has handed every posted event to its listeners, the event
    log writer among them (it flushes the file at each job's and stage's end). Returns None when it
    did, else a note that the last events may not be in the log yet."""
    try:
        bus = sc._jsc.sc().listenerBus()
    except Exception as e:  # noqa: BLE001 - Spark Connect or a SparkContext without a JVM
        return "could not flush Spark's listener bus (%s): the last few events may not be in the log yet" % e
    try:
        bus.waitUntilEmpty()
        return None
    except Exception:  # noqa: BLE001 - Spark 2.x has only waitUntilEmpty(timeoutMillis)
        pass
    try:
        bus.waitUntilEmpty(10000)
        return None
    except Exception as e:  # noqa: BLE001
        return "could not flush Spark's listener bus (%s): the last few events may not be in the log yet" % e
