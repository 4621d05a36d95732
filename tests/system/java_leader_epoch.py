#!/usr/bin/env python3
"""The Java client's leader-epoch path against strata-broker, or against
Apache Kafka with --apache-kafka (CTest system.java_leader_epoch and
system.java_leader_epoch.apache_kafka, issue 14).

Resolves kafka-clients (tests/jvm/resolve.sh clients), compiles
tests/jvm/LeaderEpochCheck.java with javac into --classes, starts the broker
and runs the check: offsetsForTimes answers a leader epoch (ListOffsets
v4+), a seek that carries it is validated with OffsetForLeaderEpoch and the
records fetched carry it (the partitionLeaderEpoch stamped into each batch),
a seek past the log end with it fails with LogTruncationException at the log
end, and the partition reads back whole. The same check must hold against
Apache Kafka, the reference.

Exit status: 0 pass, 1 fail (also when the jars cannot be resolved: a check
that did not run is not a pass).
"""
import argparse
import os
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


def log(msg):
    sys.stderr.write("[java-leader-epoch %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def resolve_classpath():
    """kafka-clients' classpath, or None when it cannot be resolved."""
    proc = subprocess.run([os.path.join(JVM_DIR, "resolve.sh"), "clients"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        return None
    return proc.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", required=True, help="strata-broker binary")
    ap.add_argument("--classes", required=True,
                    help="where javac puts the compiled check (a build dir)")
    ap.add_argument("--apache-kafka", action="store_true",
                    help="run against Apache Kafka (kafka_reference.py) instead")
    ap.add_argument("--count", type=int, default=100, help="records produced")
    ap.add_argument("--timeout-s", type=int, default=60, help="bound on each step")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()

    if shutil.which("javac") is None or shutil.which("java") is None:
        print("FAIL java-leader-epoch: java/javac not found (deploy/install-deps.sh jvm)")
        return 1
    classpath = resolve_classpath()
    if classpath is None:
        print("FAIL java-leader-epoch: tests/jvm/resolve.sh clients failed (no network and "
              "no cached kafka-clients)")
        return 1
    os.makedirs(opts.classes, exist_ok=True)
    subprocess.run(["javac", "-Xlint:all", "-Werror", "--release", "17", "-d", opts.classes,
                    "-cp", classpath, os.path.join(JVM_DIR, "LeaderEpochCheck.java")],
                   check=True)

    work = tempfile.mkdtemp(prefix="strata-java-leader-epoch.")
    broker = ReferenceBroker(work) if opts.apache_kafka else Broker(opts.broker, work)
    name = "Apache Kafka" if opts.apache_kafka else "strata-broker"
    rc = 1
    started = time.monotonic()
    try:
        broker.start()
        cmd = ["java", "-cp", opts.classes + os.pathsep + classpath, "LeaderEpochCheck",
               "--bootstrap", broker.kafka, "--count", str(opts.count),
               "--timeout-s", str(opts.timeout_s)]
        log("running LeaderEpochCheck against %s at %s" % (name, broker.kafka))
        with open(os.path.join(work, "java.stderr"), "wb") as err:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err,
                                  timeout=opts.timeout_s * 5)
        sys.stdout.write(proc.stdout.decode(errors="replace"))
        rc = 0 if proc.returncode == 0 else 1
        if not broker.alive():
            print("%s died during the run; its log ends:\n%s" % (name, broker.stderr_tail()))
            rc = 1
    except Exception as e:  # broker start failures, a hung client, driver bugs
        import traceback
        traceback.print_exc()
        log("aborted: %s" % e)
        rc = 1
    finally:
        problem = broker.stop_checked()
        if problem:
            print(problem)
            rc = 1
        print("java-leader-epoch against %s: %s in %.0f s" % (
            name, "pass" if rc == 0 else "FAIL", time.monotonic() - started))
        if opts.keep or rc != 0:
            print("work dir (client log java.stderr, broker logs and data): " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
