import json
import os
import sys

from pyspark import SparkConf, SparkContext

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
conf = (
    SparkConf()
    .setMaster("local[2]")
    .setAppName("tunesim codecs")
    .set("spark.eventLog.enabled", "true")
    .set("spark.eventLog.dir", "file://" + out)
    .set("spark.eventLog.rolling.enabled", "false")
    .set("spark.eventLog.compress", "false")
    .set("spark.ui.enabled", "false")
)
sc = SparkContext(conf=conf)
sc.setLogLevel("ERROR")
sc.setJobGroup("cv", "tuning")
sc.setLocalProperty("tunesim.fit", "0")
sc.setLocalProperty("tunesim.param_map", "1")
sc.setLocalProperty("tunesim.fold", "0")
sc.setLocalProperty("tunesim.param_label", "lr.regParam=0.1")
sc.parallelize(range(1000), 4).map(lambda x: x * x).sum()
sc.setLocalProperty("tunesim.fit", "1")
sc.setLocalProperty("tunesim.fold", "-1")
sc.parallelize(range(1000), 3).map(lambda x: (x % 7, 1)).reduceByKey(lambda a, b: a + b, 2).collect()
appid = sc.applicationId
sc.stop()
src = os.path.join(out, appid)
lines = open(src).read().splitlines()
trimmed = []
for line in lines:
    ev = json.loads(line)
    if ev["Event"] == "SparkListenerEnvironmentUpdate":
        for k in ("System Properties", "Classpath Entries", "Hadoop Properties"):
            ev[k] = dict(list(ev[k].items())[:3])
        line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)
    trimmed.append(line)
data = ("\n".join(trimmed) + "\n").encode()
fix = os.path.join(out, "fixtures")
os.makedirs(fix, exist_ok=True)
open(os.path.join(fix, appid), "wb").write(data)
jvm = sc._jvm
jconf = jvm.org.apache.spark.SparkConf()


def compress(codec, payload, path):
    c = jvm.org.apache.spark.io.CompressionCodec.createCodec(jconf, codec)
    bos = jvm.java.io.ByteArrayOutputStream()
    os_ = c.compressedOutputStream(bos)
    os_.write(bytearray(payload))
    os_.close()
    open(path, "wb").write(bytes(bos.toByteArray()))


for codec in ("zstd", "lz4", "snappy"):
    compress(codec, data, os.path.join(fix, appid + "." + codec))
# a rolling log of two lz4 files, split after the first job ends
cut = next(i for i, line in enumerate(trimmed) if '"SparkListenerJobEnd"' in line) + 1
rd = os.path.join(fix, "eventlog_v2_" + appid)
os.makedirs(rd, exist_ok=True)
compress("lz4", ("\n".join(trimmed[:cut]) + "\n").encode(), os.path.join(rd, "events_1_%s.lz4" % appid))
compress("lz4", ("\n".join(trimmed[cut:]) + "\n").encode(), os.path.join(rd, "events_2_%s.lz4" % appid))
open(os.path.join(rd, "appstatus_" + appid), "wb").close()
print(appid, len(lines), "lines", os.path.getsize(src), "bytes ->", len(data))
