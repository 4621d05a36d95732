#!/usr/bin/env python3
"""The Java client's idempotent producer against strata-broker (CTest
system.java_idempotence, issue 13 part 5).

Resolves kafka-clients (tests/jvm/resolve.sh clients: pinned in
tests/jvm/pom.xml, cached outside the repository), compiles
tests/jvm/IdempotenceCheck.java with javac into --classes, starts
strata-broker on ephemeral ports and runs the check against a 1-partition
and an 8-partition topic: KafkaProducer defaults (idempotence, acks=all,
5 in flight) with small batches; no send error, record-retry-total and
record-error-total 0, and every partition read back in order with no
duplicate and no gap.

Exit status: 0 pass, 1 fail (also when Maven Central cannot be reached and
the cache does not hold kafka-clients yet: a check that did not run is not a
pass).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from strata_broker import Broker  # noqa: E402

JVM_DIR = os.path.join(os.path.dirname(HERE), "jvm")
RESOLVE_UNREACHABLE = 3  # tests/jvm/resolve.sh: repository unreachable, cache empty


def log(msg):
    sys.stderr.write("[java-idempotence %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def report_client_warnings(client_log):
    """Prints how many WARN/ERROR lines the Java client logged, by Kafka error
    name (OUT_OF_ORDER_SEQUENCE_NUMBER is the retry this test is about), and
    the first few of them."""
    with open(client_log, errors="replace") as f:
        warnings = [line.rstrip() for line in f if " WARN " in line or " ERROR " in line]
    if not warnings:
        return
    by_error = collections.Counter(m.group(1) for m in
                                   (re.search(r"Error: ([A-Z_]+)", w) for w in warnings) if m)
    print("the Java client logged %d warnings or errors (%s); the first ones:" % (
        len(warnings), ", ".join("%s x%d" % kv for kv in by_error.most_common()) or
        "no Kafka error names"))
    for line in warnings[:4]:
        # Drop the thread and logger prefix: the message is what differs.
        print("  " + line[:13] + line[line.find(" - ") + 3:][:240])


def resolve_classpath():
    """kafka-clients' classpath, or None when the test must skip."""
    proc = subprocess.run([os.path.join(JVM_DIR, "resolve.sh"), "clients"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode == RESOLVE_UNREACHABLE:
        return None
    if proc.returncode != 0:
        raise RuntimeError("tests/jvm/resolve.sh clients failed (exit %d)" % proc.returncode)
    return proc.stdout.strip()


def compile_check(classpath, classes):
    os.makedirs(classes, exist_ok=True)
    src = os.path.join(JVM_DIR, "IdempotenceCheck.java")
    cmd = ["javac", "-Xlint:all", "-Werror", "--release", "17", "-d", classes,
           "-cp", classpath, src]
    log("compiling " + src)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", required=True, help="strata-broker binary")
    ap.add_argument("--classes", required=True,
                    help="where javac puts the compiled check (a build dir)")
    ap.add_argument("--count", type=int, default=20000, help="records per topic")
    ap.add_argument("--value-bytes", type=int, default=1024)
    ap.add_argument("--partitions", default="1,8", help="one topic per partition count")
    ap.add_argument("--timeout-s", type=int, default=90,
                    help="bound on each topic's produce and read back")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()

    if shutil.which("javac") is None or shutil.which("java") is None:
        log("java/javac not found: run deploy/install-deps.sh jvm")
        return 1
    classpath = resolve_classpath()
    if classpath is None:
        print("FAIL system.java_idempotence: Maven Central cannot be reached and the Maven "
              "cache (tests/jvm/resolve.sh, $STRATA_MAVEN_CACHE) does not hold kafka-clients")
        return 1
    compile_check(classpath, opts.classes)

    work = tempfile.mkdtemp(prefix="strata-java-idempotence.")
    broker = Broker(opts.broker, work)
    rc = 1
    started = time.monotonic()
    try:
        broker.start()
        client_log = os.path.join(work, "java.stderr")
        cmd = ["java", "-cp", opts.classes + os.pathsep + classpath,
               "-Dorg.slf4j.simpleLogger.showDateTime=true",
               "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
               "IdempotenceCheck", "--bootstrap", broker.kafka,
               "--partitions", opts.partitions, "--count", str(opts.count),
               "--value-bytes", str(opts.value_bytes), "--timeout-s", str(opts.timeout_s)]
        log("running " + " ".join(cmd[:2] + ["<classpath>"] + cmd[3:]))
        with open(client_log, "wb") as err:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err,
                                  timeout=opts.timeout_s * 4)
        sys.stdout.write(proc.stdout.decode(errors="replace"))
        report_client_warnings(client_log)
        rc = 0 if proc.returncode == 0 else 1
        if not broker.alive():
            print("strata-broker died during the run (exit status %s); its stderr ends:\n%s"
                  % (broker.proc.returncode, broker.stderr_tail()))
            rc = 1
    except Exception as e:  # broker start failures, a hung client, driver bugs
        import traceback
        traceback.print_exc()
        log("aborted: %s" % e)
        rc = 1
    finally:
        status = broker.stop()
        if status not in (0, None):
            print("strata-broker exited with status %s; its stderr ends:\n%s"
                  % (status, broker.stderr_tail()))
            rc = 1
        print("java-idempotence: %s in %.0f s" % ("pass" if rc == 0 else "FAIL",
                                                 time.monotonic() - started))
        if opts.keep or rc != 0:
            print("work dir (client log java.stderr, broker logs and data): " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
