#!/usr/bin/env python3
"""Kafka's own perf tools against Strata's Kafka port and against Apache Kafka,
in one script run (issue 15, part 4).

    tools/bench/kafka_side_by_side.py [--quick] [--brokers strata,kafka,kafka-fsync]

The brokers, one after another on the same machine, each fresh:
  strata       a Release strata-broker (BUILD, default build/release), Kafka port;
               it acknowledges acks=all after fdatasync
  kafka        Apache Kafka 4.4.0 as shipped (tests/system/kafka_reference.py);
               acks=all is acknowledged from the page cache, no fsync
  kafka-fsync  the same with log.flush.interval.messages=1: an fsync of the
               partition before each produce request is acknowledged
Each broker gets the same workload, every run on its own topic of 8 partitions:
  produce  kafka-producer-perf-test (kafka-tools 4.4.0), acks=all, records of
           1 KiB and 100 B, 1 and 4 producers (concurrent processes, the count
           split between them), the Java client's defaults (idempotence on,
           5 in flight, linger.ms 5, batch.size 16 KiB) and a tuned setting
           (batch.size 256 KiB, linger.ms 10)
  half     1 KiB, 1 producer, defaults, at a fixed rate of half that broker's
           own maximum of the matching produce run (at full speed the tool's
           latency is its own queue)
  consume  kafka-consumer-perf-test reading the 1 KiB, 1-producer, defaults
           topic from the start in a new group (fetch MB/s: without the
           group's join time)
and Strata alone: strata-bench produce and consume (native API, libstrata)
for the 1 KiB, 1-producer shape.

Output: one line per run while it goes (stderr), then a table with MB/s
(1e6 bytes), records/s, p50/p99/p99.9 latency in ms and the ratios
Strata / Kafka and Strata / Kafka with fsync, beside dd_odsync_64k measured
before and after each broker's runs. Nothing here asserts a speed: the
figures go to docs/benchmarks.md with the command that made them.

Environment: BUILD (Release build dir with strata-broker and strata-bench),
DATA_DIR (where the brokers' data go, default /var/tmp). Stops every process
it started by PID, pass or fail.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import kafka_reference  # noqa: E402
import strata_broker  # noqa: E402

SUMMARY_RE = re.compile(
    r"^(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th", re.M)
SETTINGS = {
    "default": ["acks=all"],
    "tuned": ["acks=all", "batch.size=262144", "linger.ms=10"],
}


def log(msg):
    sys.stderr.write("[side-by-side %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def dd_odsync_mb_s(directory):
    """The machine's durable-write bound: 256 MiB of 64 KiB O_DSYNC writes."""
    path = os.path.join(directory, "ddtest")
    res = subprocess.run(["dd", "if=/dev/zero", "of=" + path, "bs=64k", "count=4096",
                          "oflag=dsync"], stderr=subprocess.PIPE, text=True, check=True)
    os.unlink(path)
    last = res.stderr.strip().splitlines()[-1]  # "<bytes> bytes (...) copied, <s> s, ..."
    fields = last.split()
    return int(fields[0]) / float(fields[fields.index("s,") - 1]) / 1e6


class Tools:
    """Kafka's perf and topic tools from the pinned kafka-tools jars."""

    def __init__(self, work):
        res = subprocess.run([os.path.join(ROOT, "tests", "jvm", "resolve.sh"), "tools"],
                             stdout=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise RuntimeError("tests/jvm/resolve.sh tools failed (exit %d)" % res.returncode)
        self.classpath = res.stdout.strip()
        self.work = work
        self.seq = 0

    def _cmd(self, main, *args):
        return ["java", "-Xmx512m", "-cp", self.classpath,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", main] + list(args)

    def _out(self, name):
        self.seq += 1
        return os.path.join(self.work, "%03d-%s.log" % (self.seq, name))

    def create_topic(self, bootstrap, topic, partitions):
        path = self._out("create-" + topic)
        with open(path, "w") as out:
            res = subprocess.run(self._cmd("org.apache.kafka.tools.TopicCommand",
                                           "--bootstrap-server", bootstrap, "--create",
                                           "--topic", topic, "--partitions", str(partitions),
                                           "--replication-factor", "1"),
                                 stdout=out, stderr=subprocess.STDOUT, timeout=120)
        if res.returncode != 0:
            raise RuntimeError("creating %s failed: see %s" % (topic, path))

    def produce(self, bootstrap, topic, count, size, producers, props, throughput=-1):
        """Runs `producers` perf tests at once; returns the summed records/s
        and MB/s and the worst p50/p99/p99.9 among them."""
        procs = []
        for i in range(producers):
            path = self._out("produce-%s-%d" % (topic, i))
            out = open(path, "w")
            cmd = self._cmd("org.apache.kafka.tools.ProducerPerformance",
                            "--bootstrap-server", bootstrap, "--topic", topic,
                            "--num-records", str(count // producers), "--record-size", str(size),
                            "--throughput", str(throughput),
                            "--command-property", "client.id=perf-%s-%d" % (topic, i), *props)
            procs.append((subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT), out, path))
        rows = []
        for proc, out, path in procs:
            try:
                status = proc.wait(timeout=900)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                status = "timeout"
            out.close()
            text = open(path).read()
            found = SUMMARY_RE.findall(text)
            if status != 0 or not found:
                raise RuntimeError("perf test failed (%s): see %s" % (status, path))
            rows.append(found[-1])
        rec_s = sum(float(r[1]) for r in rows)
        return {"rec_s": rec_s, "mb_s": rec_s * size / 1e6,
                "p50": max(int(r[5]) for r in rows), "p99": max(int(r[7]) for r in rows),
                "p999": max(int(r[8]) for r in rows)}

    def consume(self, bootstrap, topic, count, size):
        path = self._out("consume-" + topic)
        with open(path, "w") as out:
            res = subprocess.run(self._cmd("org.apache.kafka.tools.ConsumerPerformance",
                                           "--bootstrap-server", bootstrap, "--topic", topic,
                                           "--num-records", str(count), "--timeout", "30000",
                                           "--group", "perf-" + topic),
                                 stdout=out, stderr=subprocess.STDOUT, timeout=600)
        lines = [l for l in open(path).read().splitlines() if l.count(",") >= 9]
        if res.returncode != 0 or len(lines) < 2:
            raise RuntimeError("consumer perf test failed: see %s" % path)
        # start, end, MB, MB/s, nMsg, nMsg/s, rebalance ms, fetch ms, fetch MB/s, fetch nMsg/s
        fields = [f.strip() for f in lines[-1].split(",")]
        consumed = int(fields[4])
        if consumed < count:
            raise RuntimeError("consumer read %d of %d records: see %s" % (consumed, count, path))
        rec_s = float(fields[9])
        return {"rec_s": rec_s, "mb_s": rec_s * size / 1e6}


def native_runs(build, native, count, rows):
    bench = os.path.join(build, "tools", "bench", "strata-bench")
    topic = "native-1k"

    def run(*args):
        out = subprocess.run([bench] + list(args), stdout=subprocess.PIPE, text=True,
                             timeout=900, check=True).stdout.splitlines()[0]
        return dict(f.split("=", 1) for f in out.split()[2:] if "=" in f)

    r = run("produce", "--broker", native, "--topic", topic, "--partitions", "8",
            "--message-bytes", "1024", "--count", str(count), "--acks", "all",
            "--linger-ms", "5", "--batch-bytes", "16384", "--max-in-flight", "5")
    rows.append(("strata-native", "produce 1KiB 1p default", float(r["records_per_s"]),
                 float(r["mb_per_s"]), float(r["p50_us"]) / 1e3, float(r["p99_us"]) / 1e3,
                 float(r["p999_us"]) / 1e3))
    log("strata-native produce: %s MB/s" % r["mb_per_s"])
    r = run("consume", "--broker", native, "--topic", topic, "--message-bytes", "1024",
            "--count", str(count))
    rows.append(("strata-native", "consume 1KiB", float(r["records_per_s"]),
                 float(r["mb_per_s"]), None, None, None))
    log("strata-native consume: %s MB/s" % r["mb_per_s"])


def broker_runs(name, bootstrap, tools, args, rows):
    """The workload of the module doc against one broker; appends table rows."""
    maxima = {}
    consume_topic = None
    for size in (1024, 100):
        count = args.count_1k if size == 1024 else args.count_100
        label = "1KiB" if size == 1024 else "100B"
        for producers in args.producers:
            for setting in args.settings:
                topic = "%s-%s-%dp-%s" % (name, label, producers, setting)
                tools.create_topic(bootstrap, topic, 8)
                r = tools.produce(bootstrap, topic, count, size, producers, SETTINGS[setting])
                what = "produce %s %dp %s" % (label, producers, setting)
                log("%s %s: %.1f MB/s, p99 %d ms" % (name, what, r["mb_s"], r["p99"]))
                rows.append((name, what, r["rec_s"], r["mb_s"], r["p50"], r["p99"], r["p999"]))
                maxima[(size, producers, setting)] = r["rec_s"]
                if size == 1024 and producers == 1 and setting == "default":
                    consume_topic = topic
    if (1024, 1, "default") in maxima:
        rate = int(maxima[(1024, 1, "default")] / 2)
        topic = "%s-half" % name
        tools.create_topic(bootstrap, topic, 8)
        r = tools.produce(bootstrap, topic, min(args.count_1k, rate * args.half_seconds), 1024, 1,
                          SETTINGS["default"], throughput=rate)
        what = "half-rate 1KiB 1p default (%d rec/s)" % rate
        log("%s %s: p99 %d ms" % (name, what, r["p99"]))
        rows.append((name, what, r["rec_s"], r["mb_s"], r["p50"], r["p99"], r["p999"]))
    if consume_topic:
        r = tools.consume(bootstrap, consume_topic, args.count_1k, 1024)
        log("%s consume: %.1f MB/s" % (name, r["mb_s"]))
        rows.append((name, "consume 1KiB", r["rec_s"], r["mb_s"], None, None, None))


def print_table(rows, bounds, brokers):
    print()
    print("date %s  commit %s  cores %d  load %s" % (
        time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
        subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                       stdout=subprocess.PIPE, text=True).stdout.strip(),
        os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
    for name in brokers:
        if name in bounds:
            print("dd_odsync_64k around %s: %.1f -> %.1f MB/s" % ((name,) + bounds[name]))
    fmt = "%-14s %-44s %12s %8s %8s %8s %8s"
    print(fmt % ("broker", "run", "records/s", "MB/s", "p50_ms", "p99_ms", "p999_ms"))
    for b, what, rec_s, mb_s, p50, p99, p999 in rows:
        cell = lambda v: "-" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))
        print(fmt % (b, what, "%.0f" % rec_s, "%.1f" % mb_s, cell(p50), cell(p99), cell(p999)))
    by = {(b, w): (mb, p99) for b, w, _, mb, _, p99, _ in rows}
    print()
    print("%-44s %14s %20s %16s" % ("run", "strata/kafka", "strata/kafka-fsync", "p99 s/k"))
    for b, what, _, mb_s, _, p99, _ in rows:
        if b != "strata":
            continue
        k, kf = by.get(("kafka", what)), by.get(("kafka-fsync", what))
        ratio = lambda other: "-" if not other or not other[0] else "%.2f" % (mb_s / other[0])
        p99r = "-" if not k or p99 is None or not k[1] else "%.2f" % (p99 / k[1])
        print("%-44s %14s %20s %16s" % (what, ratio(k), ratio(kf), p99r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--brokers", default="strata,kafka,kafka-fsync")
    ap.add_argument("--quick", action="store_true",
                    help="1 KiB only at a tenth of the counts, defaults, 1 producer (a smoke run)")
    ap.add_argument("--count-1k", type=int, default=300000)
    ap.add_argument("--count-100", type=int, default=1500000)
    ap.add_argument("--half-seconds", type=int, default=20)
    args = ap.parse_args()
    args.producers, args.settings = [1, 4], ["default", "tuned"]
    if args.quick:
        args.count_1k, args.count_100, args.half_seconds = 30000, 100000, 5
        args.producers, args.settings = [1], ["default"]
    brokers = args.brokers.split(",")
    build = os.environ.get("BUILD", os.path.join(ROOT, "build", "release"))
    work = tempfile.mkdtemp(prefix="strata-side-by-side.",
                            dir=os.environ.get("DATA_DIR", "/var/tmp"))
    tools = Tools(work)
    rows, bounds = [], {}
    try:
        for name in brokers:
            before = dd_odsync_mb_s(work)
            dir_ = os.path.join(work, name)
            os.makedirs(dir_)
            if name == "strata":
                broker = strata_broker.Broker(os.path.join(build, "broker", "strata-broker"), dir_)
            elif name == "kafka":
                broker = kafka_reference.ReferenceBroker(dir_)
            elif name == "kafka-fsync":
                broker = kafka_reference.ReferenceBroker(
                    dir_, config={"log.flush.interval.messages": "1"})
            else:
                raise SystemExit("unknown broker %r (strata, kafka, kafka-fsync)" % name)
            broker.start()
            try:
                log("%s at %s" % (name, broker.kafka))
                broker_runs(name, broker.kafka, tools, args, rows)
                if name == "strata":
                    native_runs(build, broker.native, args.count_1k, rows)
            finally:
                problem = broker.stop_checked()
                if problem:
                    log("%s did not stop cleanly: %s" % (name, problem))
            bounds[name] = (before, dd_odsync_mb_s(work))
    finally:
        print_table(rows, bounds, brokers)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
