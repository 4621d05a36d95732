#!/usr/bin/python3
"""Ordering under pipelining: producers with 5 requests in flight against a
real strata-broker, every record read back and checked for inversions.

Issue 13 part 5. Kafka handles one request per connection at a time, so a
producer that pipelines (librdkafka, kafka-python, the Java client: 5 in
flight) gets its records appended in the order it sent them, with or without
idempotence. Each run produces the values 0..N-1 in order to a fresh
one-partition topic with small batches, linger 0, acks=all and 5 in flight
(librdkafka without and with idempotence, kafka-python without), reads the
partition back from offset 0 and checks: no delivery error, no
OUT_OF_ORDER_SEQUENCE_NUMBER answer, every value exactly once, zero
inversions (a value smaller than the one stored before it), offsets dense
from 0, and every acknowledged offset is where its value is stored.

    /usr/bin/python3 tests/system/kafka_ordering.py --broker BIN [--count N]
    /usr/bin/python3 tests/system/kafka_ordering.py --kafka-bootstrap HOST:PORT

Run with /usr/bin/python3: Debian's confluent_kafka and kafka modules are
visible only to it. Exits 1 when a run failed, a client is missing or the
broker did not exit with status 0 after SIGTERM.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
from strata_broker import Broker, ExternalBroker  # noqa: E402

WORKERS = {"confluent-kafka-python": "worker_confluent.py",
           "kafka-python": "worker_kafka_python.py"}
MODULES = {"confluent-kafka-python": "confluent_kafka", "kafka-python": "kafka"}

# name, client, idempotence, values. librdkafka batches by record count
# (batch.num.messages=20, the reproduction); kafka-python by bytes
# (256 B: about 20 of these records). 100,000 values showed the bug in every
# librdkafka run (220-290 inversions; kafka-python: about 50 in 20,000).
# kafka-python is several times slower per record, so it gets fewer. The
# idempotent run kept at most one Produce request outstanding against
# strata-broker (librdkafka 2.0.2, debug=protocol), so it cannot show the
# race; it checks that idempotence stays exact (no OUT_OF_ORDER_SEQUENCE,
# no epoch bump) and slows to about 1,000 records/s on a busy machine.
RUNS = [
    ("librdkafka", "confluent-kafka-python", False, 100000),
    ("librdkafka-idem", "confluent-kafka-python", True, 50000),
    ("kafka-python", "kafka-python", False, 20000),
]
BATCH = {"confluent-kafka-python": 20, "kafka-python": 256}
IN_FLIGHT = 5
# More request threads than cores: requests of one connection that race
# through the broker's pool are preempted between decoding and appending
# more often, so an ordering bug shows in every run, not one in a few.
IO_THREADS = 8


def log(msg):
    sys.stderr.write("[kafka-ordering %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class Runner:
    """Client steps as child processes with a time bound, killed by PID; all
    of them at once when the broker dies."""

    def __init__(self, broker, work):
        self.broker, self.work = broker, work
        self.lock = threading.Lock()
        self.procs = set()
        self.step_no = 0
        self.broker_dead = threading.Event()
        self.stop_watch = threading.Event()
        threading.Thread(target=self._watch_broker, daemon=True).start()

    def _watch_broker(self):
        while not self.stop_watch.is_set() and not self.broker_dead.is_set():
            if not self.broker.alive():
                if self.stop_watch.is_set():
                    return  # stopped on purpose
                log("strata-broker died: stopping the client steps\n" + self.broker.stderr_tail())
                self.broker_dead.set()
                self.kill_all()
                return
            time.sleep(0.2)

    def kill_all(self):
        with self.lock:
            procs = list(self.procs)
        for p in procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)

    def path(self, name):
        with self.lock:
            self.step_no += 1
            n = self.step_no
        return os.path.join(self.work, "%03d-%s" % (n, re.sub(r"[^A-Za-z0-9_.-]", "_", name)))

    def worker(self, client, op, args, timeout_s):
        """One worker operation; its JSON result, ok false with the reason and
        the log's tail when it failed, timed out or exited non-zero."""
        args = dict(args, bootstrap=self.broker.kafka)
        argv = [sys.executable, os.path.join(HERE, WORKERS[client]), op, json.dumps(args)]
        log_path = self.path("%s-%s.log" % (client, op))
        with open(log_path, "wb") as err:
            err.write(("$ " + " ".join(argv) + "\n").encode())
            err.flush()
            if self.broker_dead.is_set():
                return {"ok": False, "error": "not run: strata-broker is not running"}
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=err)
            with self.lock:
                self.procs.add(proc)
            try:
                out, _ = proc.communicate(timeout=timeout_s)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate()
                rc = None
            finally:
                with self.lock:
                    self.procs.discard(proc)
        return common.worker_result(rc, out.decode(errors="replace"), log_path, timeout_s)


def check(count, partitions, report_path, read_path):
    """The numbers of one run and the list of what went wrong.

    report_path: 'value partition offset' or 'value ERR error' per delivery
    report; read_path: 'partition offset value' per record read back."""
    problems = []
    acks, errors = {}, []
    with open(report_path) as f:
        for line in f:
            v, rest = line.rstrip("\n").split(" ", 1)
            if rest.startswith("ERR "):
                errors.append("value %s: %s" % (v, rest[4:]))
            else:
                p, o = rest.split()
                acks[int(v)] = (int(p), int(o))
    stored = {p: [] for p in range(partitions)}  # partition -> [(offset, value)]
    with open(read_path) as f:
        for line in f:
            p, o, v = line.split()
            stored.setdefault(int(p), []).append((int(o), int(v)))
    values = [v for recs in stored.values() for _, v in recs]
    distinct = set(values)
    n = {"acked": len(acks), "errors": len(errors), "read": len(values),
         "missing": len(set(range(count)) - distinct),
         "duplicates": len(values) - len(distinct),
         "unexpected": len(distinct - set(range(count))),
         "inversions": 0, "offset_gaps": 0, "ack_mismatch": 0}
    if errors:
        problems.append("%d delivery errors, first: %s" % (len(errors), errors[:3]))
    if len(acks) + len(errors) != count:
        problems.append("%d delivery reports for %d values" % (len(acks) + len(errors), count))
    first_inversions = []
    where = {}
    for p, recs in sorted(stored.items()):
        recs.sort()
        offsets = [o for o, _ in recs]
        # Dense: the partition holds offsets 0..k-1, each once (a fresh topic).
        if offsets != list(range(len(offsets))):
            gaps = len(set(range(max(offsets) + 1)) - set(offsets)) if offsets else 0
            n["offset_gaps"] += max(gaps, 1)
            problems.append("partition %d: offsets not dense from 0 (%d records, offsets %s..%s, "
                            "%d missing)" % (p, len(offsets), offsets[0] if offsets else None,
                                             offsets[-1] if offsets else None, gaps))
        for i in range(1, len(recs)):
            if recs[i][1] < recs[i - 1][1]:
                n["inversions"] += 1
                if len(first_inversions) < 3:
                    first_inversions.append("p%d offset %d: %d after %d" % (
                        p, recs[i][0], recs[i][1], recs[i - 1][1]))
        for o, v in recs:
            where[v] = (p, o)
    for v, pos in acks.items():
        if where.get(v, pos) != pos:
            n["ack_mismatch"] += 1
    if n["missing"] or n["duplicates"] or n["unexpected"]:
        problems.append("%d values missing, %d read twice, %d unexpected" % (
            n["missing"], n["duplicates"], n["unexpected"]))
    if n["inversions"]:
        problems.append("%d inversions, first: %s" % (n["inversions"], ", ".join(first_inversions)))
    if n["ack_mismatch"]:
        problems.append("%d values stored elsewhere than their acknowledged partition/offset"
                        % n["ack_mismatch"])
    return n, problems


def run_one(runner, spec, count, run_id):
    name, client, idem, _ = spec
    topic = "ordering-%s-%s" % (name, run_id)
    row = {"run": name, "client": client, "count": count, "idempotent": idem, "problems": []}
    r = runner.worker("confluent-kafka-python", "create_topic", {"topic": topic, "partitions": 1},
                      60)
    if not r["ok"]:
        row["problems"].append("create topic: " + r["error"])
        return row
    reports = runner.path(name + "-acks.txt")
    t0 = time.monotonic()
    r = runner.worker(client, "produce_seq",
                      {"topic": topic, "count": count, "idempotent": idem,
                       "batch": BATCH[client], "in_flight": IN_FLIGHT, "out": reports,
                       "timeout_s": 90}, 120)
    row["produce_s"] = time.monotonic() - t0
    row["out_of_order"] = r.get("out_of_order_sequence")
    if not r["ok"]:
        row["problems"].append("produce: " + r["error"])
        if not os.path.exists(reports):
            return row
    elif r.get("undelivered"):
        row["problems"].append("%d values never acknowledged" % r["undelivered"])
    if row["out_of_order"]:
        row["problems"].append("%d OUT_OF_ORDER_SEQUENCE_NUMBER answers, first: %s" % (
            row["out_of_order"], r.get("first_out_of_order")))
    if r.get("client_errors"):
        row["problems"].append("client errors: %s" % r["client_errors"])
    read = runner.path(name + "-read.txt")
    t1 = time.monotonic()
    r = runner.worker(client, "read_all", {"topic": topic, "partitions": 1,
                                           "out": read, "timeout_s": 60}, 90)
    row["read_s"] = time.monotonic() - t1
    if not r["ok"]:
        row["problems"].append("read: " + r["error"])
        return row
    if not r.get("complete"):
        row["problems"].append("read stopped before the high watermarks %s" % r["high_watermarks"])
    row["numbers"], problems = check(count, 1, reports, read)
    row["problems"] += problems
    return row


def render(rows):
    cols = ["run", "values", "acked", "errors", "oos", "read", "missing", "dups", "inversions",
            "offsets", "acks@", "seconds", "result"]
    table = []
    for row in rows:
        n = row.get("numbers", {})
        get = lambda k: str(n[k]) if k in n else "-"  # noqa: E731
        oos = row.get("out_of_order")
        table.append([
            row["run"], str(row["count"]), get("acked"), get("errors"),
            "-" if oos is None else str(oos), get("read"),
            get("missing"), get("duplicates"), get("inversions"),
            ("dense" if n.get("offset_gaps") == 0 else "GAPS") if n else "-",
            ("ok" if n.get("ack_mismatch") == 0 else "DIFF") if n else "-",
            "%.1f+%.1f" % (row.get("produce_s", 0), row.get("read_s", 0)),
            "FAIL" if row["problems"] else "pass"])
    widths = [max(len(c), *(len(t[i]) for t in table)) for i, c in enumerate(cols)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(cols, widths))]
    lines.append("-" * len(lines[0]))
    lines += [" | ".join(v.ljust(w) for v, w in zip(t, widths)) for t in table]
    lines.append("\n(oos: OUT_OF_ORDER_SEQUENCE_NUMBER answers librdkafka logged; acks@: every "
                 "acknowledged offset holds its value; seconds: produce+read)")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", help="strata-broker binary")
    ap.add_argument("--count", type=int, default=0,
                    help="values per run (default: each run's own, %s)" % ", ".join(
                        "%s %d" % (r[0], r[3]) for r in RUNS))
    ap.add_argument("--io-threads", type=int, default=IO_THREADS,
                    help="strata-broker --io-threads (default %(default)s)")
    ap.add_argument("--only", default="", help="comma-separated run names (debugging; the "
                    "others then count as failed): " + ",".join(r[0] for r in RUNS))
    ap.add_argument("--kafka-bootstrap", default="",
                    help="run against this already running Kafka-protocol broker instead "
                    "(e.g. Apache Kafka as the reference)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()
    if not opts.broker and not opts.kafka_bootstrap:
        ap.error("--broker or --kafka-bootstrap is required")

    work = tempfile.mkdtemp(prefix="strata-kafka-ordering.")
    broker = (ExternalBroker(opts.kafka_bootstrap, "") if opts.kafka_bootstrap
              else Broker(opts.broker, work, ["--io-threads", str(opts.io_threads)]))
    run_id = "%06x" % (int(time.time() * 1000) & 0xffffff)
    only = set(opts.only.split(",")) if opts.only else None
    rows, failures = [], []
    started = time.monotonic()
    runner = None
    try:
        broker.start()
        runner = Runner(broker, work)
        for spec in RUNS:
            name, client, idem, default_count = spec
            count = opts.count or default_count
            if only is not None and name not in only:
                rows.append({"run": name, "count": count, "problems": ["not run (--only)"]})
                continue
            try:
                __import__(MODULES[client])
            except ImportError as e:
                rows.append({"run": name, "count": count, "problems": [
                    "not installed: %s cannot import %s: %s" % (sys.executable,
                                                                MODULES[client], e)]})
                continue
            log("%s: %d values, idempotence=%s in_flight=%d batch=%d" % (
                name, count, idem, IN_FLIGHT, BATCH[client]))
            row = run_one(runner, spec, count, run_id)
            log("%s: %s%s" % (name, "FAIL" if row["problems"] else "pass",
                              (" - " + row["problems"][0].splitlines()[0][:300])
                              if row["problems"] else ""))
            rows.append(row)
    except Exception as e:  # broker start failures and driver bugs
        import traceback
        traceback.print_exc()
        failures.append("aborted: %s" % e)
    finally:
        if runner is not None:
            runner.stop_watch.set()
            runner.kill_all()
        err = broker.stop_checked() if hasattr(broker, "stop_checked") else ""
        if err:
            failures.append(err)
    print("\nKafka ordering, %d in flight (%s at %s, %.0f s):\n" % (
        IN_FLIGHT, "strata-broker" if broker.native else "external broker", broker.kafka,
        time.monotonic() - started))
    if rows:
        print(render(rows))
    details = ["%s: %s" % (row["run"], p) for row in rows for p in row["problems"]]
    if details or failures:
        print("\nDetails:")
        for d in details + failures:
            print("  " + d)
    failed = sum(1 for row in rows if row["problems"]) + len(failures)
    print("\nkafka-ordering: %d passed, %d failed" % (
        sum(1 for row in rows if not row["problems"]), failed))
    rc = 1 if failed or not rows else 0
    if opts.keep or rc != 0:
        print("work dir (logs, broker data): " + work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
