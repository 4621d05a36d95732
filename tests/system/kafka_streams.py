#!/usr/bin/env python3
"""Kafka Streams against Apache Kafka and against strata-broker, in one run
(CTest system.kafka_streams, issue 15 part 3).

A word count (tests/jvm/WordCount.java: Kafka Streams 4.4.0, at-least-once,
an in-memory store with its cache off) reads lines from an input topic and
writes the running count of each word to an output topic, through its
repartition topic and its changelog (cleanup.policy=compact), both created
by Streams itself. Against each broker, with the same behaviour-changing
settings on both: produce the first half of a known text, run the
application until every word's latest count on the output topic equals the
driver's own count of that half, close it; produce the second half, start
it again (the store restores from the changelog), and wait for the exact
counts of the whole text. After each run the changelog must hold one record
per counted word (nothing compacted away or lost) with the right latest
value per word, the repartition topic must have been purged (its log start
moved by DeleteRecords), and the internal topics, their partition counts
and cleanup policies must be the same on both brokers.

Exit status 0 when every check passed against both brokers, else 1 (also
when the JVM, Maven Central with an empty cache, or a broker is missing:
a check that did not run is not a pass).
"""
import argparse
import collections
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from kafka_reference import ReferenceBroker  # noqa: E402
from strata_broker import Broker  # noqa: E402

JVM_DIR = os.path.join(os.path.dirname(HERE), "jvm")
INPUT, OUTPUT, APP_ID, PARTITIONS = "wc-input", "wc-output", "wc-app", 3
# Settings that change what a client sees, the same on both brokers: a
# joining group is not held back 3 s (Kafka's and Strata's default).
KAFKA_CONFIG = {"group.initial.rebalance.delay.ms": "0"}
STRATA_ARGS = ["--group-initial-rebalance-delay-ms", "0"]
# Small and quick to start: the CI machine has 2 cores.
JAVA_OPTS = ["-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


def log(msg):
    sys.stderr.write("[kafka-streams %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def make_text(lines, seed=15):
    """A known text: words of a small vocabulary, Zipf-like, 1-12 per line."""
    rng = random.Random(seed)
    vocabulary = ["w%03d" % i for i in range(300)]
    weights = [1.0 / (i + 1) for i in range(len(vocabulary))]
    return [" ".join(rng.choices(vocabulary, weights, k=rng.randint(1, 12)))
            for _ in range(lines)]


def write_counts(path, lines):
    counts = collections.Counter(w for line in lines for w in line.split(" "))
    with open(path, "w") as f:
        for word, n in sorted(counts.items()):
            f.write("%s %d\n" % (word, n))
    return sum(counts.values())


def resolve_classpath():
    proc = subprocess.run([os.path.join(JVM_DIR, "resolve.sh"), "streams"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError("tests/jvm/resolve.sh streams failed (exit %d)" % proc.returncode)
    return proc.stdout.strip()


def compile_app(classpath, classes):
    os.makedirs(classes, exist_ok=True)
    src = os.path.join(JVM_DIR, "WordCount.java")
    log("compiling " + src)
    subprocess.run(["javac", "-Xlint:all", "-Werror", "--release", "17", "-d", classes,
                    "-cp", classpath, src], check=True)


class Run:
    """The steps against one broker; each step is one JVM, its log in work."""

    def __init__(self, name, broker, classpath, work, text_file):
        self.name, self.broker, self.classpath, self.work = name, broker, classpath, work
        self.text_file = text_file
        self.step = 0
        self.failures = []
        self.results = {}

    def java(self, op, limit_s, **args):
        self.step += 1
        cmd = ["java"] + JAVA_OPTS + ["-cp", self.classpath, "WordCount", op,
                                      "--bootstrap", self.broker.kafka]
        for key, value in args.items():
            cmd += ["--" + key.replace("_", "-"), str(value)]
        log_path = os.path.join(self.work, "%02d-%s.log" % (self.step, op))
        started = time.monotonic()
        with open(log_path, "wb") as err:
            try:
                proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, timeout=limit_s)
                out, rc = proc.stdout.decode(errors="replace"), proc.returncode
            except subprocess.TimeoutExpired:
                out, rc = "ok=false error=no_answer_within_%d_s" % limit_s, -1
        lines = out.strip().splitlines()
        last = lines[-1] if lines else "ok=false error=no_result_line"
        fields = dict(f.split("=", 1) for f in last.split() if "=" in f)
        log("%s %s (%.1f s): %s" % (self.name, op, time.monotonic() - started, last))
        if rc != 0 or fields.get("ok") != "true":
            self.failures.append("%s failed (exit %s): %s; log %s" % (op, rc, last, log_path))
        return fields

    def check(self, what, ok, detail):
        if not ok:
            self.failures.append("%s: %s" % (what, detail))

    def phase(self, label, expected_file, total, start_line, end_line):
        produced = self.java("produce", 120, input=INPUT, text=self.text_file,
                             **{"from": start_line, "to": end_line})
        if produced.get("ok") != "true":
            return
        r = self.java("run", 150, app_id=APP_ID, input=INPUT, output=OUTPUT,
                      state_dir=os.path.join(self.work, "streams-state"),
                      expected=expected_file, timeout_s=90)
        self.results[label] = r
        if r.get("ok") != "true":
            return
        self.check(label + " changelog records", r.get("changelog_records") == str(total),
                   "the changelog holds %s records, want one per counted word: %d"
                   % (r.get("changelog_records"), total))
        self.check(label + " changelog values", r.get("changelog_wrong") == "0",
                   "%s words' latest changelog value is not their count"
                   % r.get("changelog_wrong"))
        # Streams purges its repartition topic (DeleteRecords) after commits
        # every 200 ms (WordCount sets repartition.purge.interval.ms).
        self.check(label + " repartition purged",
                   int(r.get("repartition_start_sum", "0")) > 0,
                   "no repartition partition's log start moved (DeleteRecords): %s..%s"
                   % (r.get("repartition_start_sum"), r.get("repartition_end_sum")))
        self.check(label + " changelog cleanup.policy",
                   r.get("changelog_cleanup_policy") == "compact",
                   "DescribeConfigs says %s" % r.get("changelog_cleanup_policy"))

    def go(self, halves):
        self.broker.start()
        self.java("setup", 60, input=INPUT, output=OUTPUT, partitions=PARTITIONS)
        if self.failures:
            return
        for label, expected_file, total, start_line, end_line in halves:
            self.phase(label, expected_file, total, start_line, end_line)
            if self.failures:
                return


def compare(runs):
    """Fields that must agree between the brokers (both runs completed)."""
    fields = ["internal_topics", "changelog_partitions", "changelog_cleanup_policy",
              "repartition_partitions", "repartition_cleanup_policy", "changelog_records",
              "repartition_end_sum", "words", "total"]
    diffs = []
    kafka, strata = runs
    for label in sorted(kafka.results):
        for f in fields:
            a, b = kafka.results[label].get(f), strata.results.get(label, {}).get(f)
            if a != b:
                diffs.append("%s %s: Apache Kafka %s, Strata %s" % (label, f, a, b))
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", required=True, help="strata-broker binary")
    ap.add_argument("--classes", required=True, help="where javac puts WordCount (a build dir)")
    ap.add_argument("--lines", type=int, default=2000, help="lines of text (half per run)")
    ap.add_argument("--only", choices=["kafka", "strata"], help="one broker (by hand only)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()
    started = time.monotonic()
    if shutil.which("javac") is None or shutil.which("java") is None:
        print("FAIL system.kafka_streams: java/javac not found (deploy/install-deps.sh jvm)")
        return 1
    classpath = resolve_classpath()
    compile_app(classpath, opts.classes)
    classpath = opts.classes + os.pathsep + classpath

    work = tempfile.mkdtemp(prefix="strata-kafka-streams.")
    text = make_text(opts.lines)
    text_file = os.path.join(work, "text.txt")
    with open(text_file, "w") as f:
        f.write("\n".join(text) + "\n")
    half = opts.lines // 2
    halves = []
    for label, end in (("first-run", half), ("restarted", opts.lines)):
        expected = os.path.join(work, "expected-%s.txt" % label)
        halves.append((label, expected, write_counts(expected, text[:end]),
                       0 if label == "first-run" else half, end))

    runs = []
    for name in ("kafka", "strata"):
        if opts.only and opts.only != name:
            continue
        bwork = os.path.join(work, name)
        os.makedirs(bwork)
        broker = (ReferenceBroker(bwork, KAFKA_CONFIG) if name == "kafka"
                  else Broker(opts.broker, bwork, STRATA_ARGS))
        run = Run("Apache Kafka" if name == "kafka" else "Strata", broker, classpath, bwork,
                  text_file)
        runs.append(run)
        t0 = time.monotonic()
        try:
            run.go(halves)
        except Exception as e:  # a broker that did not start, a driver bug
            import traceback
            traceback.print_exc()
            run.failures.append("aborted: %s" % e)
        finally:
            why = broker.stop_checked()
            if why:
                run.failures.append(why)
        log("%s: %s in %.0f s" % (run.name, "pass" if not run.failures else "FAIL",
                                  time.monotonic() - t0))

    failed = False
    for run in runs:
        for label, r in sorted(run.results.items()):
            print("%-12s %-10s counted in %6s ms, changelog %s records, repartition offsets "
                  "%s..%s, internal topics %s" % (
                      run.name, label, r.get("counted_ms"), r.get("changelog_records"),
                      r.get("repartition_start_sum"), r.get("repartition_end_sum"),
                      r.get("internal_topics")))
        for f in run.failures:
            print("FAIL %s: %s" % (run.name, f))
            failed = True
    if len(runs) == 2 and not failed:
        for d in compare(runs):
            print("FAIL the brokers differ: " + d)
            failed = True
    print("kafka-streams: %s in %.0f s" % ("FAIL" if failed else "pass",
                                           time.monotonic() - started))
    if opts.keep or failed:
        print("work dir (step logs NN-op.log, broker logs, data): " + work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
