#!/usr/bin/python3
"""Kafka compatibility suite: real Kafka clients against a real strata-broker.

Starts strata-broker (data in a temp dir, ephemeral ports read from its ready
line), runs every scenario for kcat, confluent-kafka-python, kafka-python,
kafkajs 2.2.4 and the Java client (kafka-clients, pinned in tests/jvm/pom.xml;
tests/jvm/CompatWorker.java is compiled with javac at the start), prints a
client x scenario matrix and exits non-zero when any
cell failed. A client that is not installed fails its whole row: nothing is
skipped. Every client step is a child process with a time bound, stopped by
PID; the broker is stopped by PID on exit, pass or fail.

    /usr/bin/python3 tests/system/kafka_compat.py --broker BIN --cli BIN --dump BIN

With --apache-kafka the same matrix runs against Apache Kafka (the version
pinned in tests/jvm/pom.xml, started by kafka_reference.py): CTest runs both,
so a cell where Strata and Kafka differ fails in the same run.

Run with /usr/bin/python3: Debian's confluent_kafka and kafka modules are
visible only to it. kafkajs comes from $STRATA_KAFKA_CLIENTS_DIR/node_modules
(default ~/.cache/strata/kafka-clients), filled by
`deploy/install-deps.sh kafka-clients`.
"""
import argparse
import concurrent.futures
import json
import os
import re
import select
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
from kafka_reference import ReferenceBroker  # noqa: E402

CLIENTS = ["kcat", "confluent-kafka-python", "kafka-python", "kafkajs", "java", "native"]
CHAINS = CLIENTS[:5]  # the clients with a chain of their own; native only reads codecs
SCENARIOS = ["create-6", "produce", "produce-idem", "group-resume", "group-split",
             "gzip", "snappy", "lz4", "zstd", "offsets-for-times"]
CODECS = ["gzip", "snappy", "lz4", "zstd"]
# Sizes: the 10,000 keyed records per produce run; the split and
# codec scenarios use fewer (they test membership and decoding, not volume).
PRODUCE_COUNT = 10000
SPLIT_N = 600
CODEC_COUNT = 1000
PARTITIONS = 6
KAFKAJS_VERSION = "2.2.4"
JVM_DIR = os.path.join(os.path.dirname(HERE), "jvm")
# offsets-for-times: records with create timestamps BASE + i * STEP, i to
# partition i % 3, in batches of about 10 records.
# kcat cannot set create timestamps, so confluent-kafka-python writes its
# records and kcat looks up with -o s@TS.
TIME_CLIENTS = ("kcat", "confluent-kafka-python", "kafka-python", "kafkajs", "java")
TIME_COUNT = 300
TIME_STEP_MS = 10


def log(msg):
    sys.stderr.write("[kafka-compat %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class Matrix:
    """Cells: 'pass', 'FAIL', 'n/a' (the client lacks the feature) or '-' (not
    a scenario for this row). Thread-safe; details kept for failures."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cells = {c: {s: "-" for s in SCENARIOS} for c in CLIENTS}
        self.details = []
        self.not_applicable = []  # (client, scenario, why), printed under the matrix

    def set(self, client, scenario, ok, detail=""):
        with self.lock:
            if ok is None:
                self.cells[client][scenario] = "n/a"
                self.not_applicable.append((client, scenario, detail))
                detail = ""
            else:
                self.cells[client][scenario] = "pass" if ok else "FAIL"
            if detail:
                self.details.append("%s / %s: %s" % (client, scenario, detail))
        log("%s / %s: %s%s" % (client, scenario, self.cells[client][scenario],
                               (" - " + detail.splitlines()[0][:300]) if detail else ""))

    def failed(self):
        return any(v == "FAIL" for row in self.cells.values() for v in row.values())

    def render(self):
        width = max(len(c) for c in CLIENTS)
        cols = [max(len(s), 4) for s in SCENARIOS]
        lines = [" " * width + " | " + " | ".join(s.ljust(w) for s, w in zip(SCENARIOS, cols))]
        lines.append("-" * len(lines[0]))
        for c in CLIENTS:
            lines.append(c.ljust(width) + " | " + " | ".join(
                self.cells[c][s].ljust(w) for s, w in zip(SCENARIOS, cols)))
        for client, scenario, why in self.not_applicable:
            lines.append("n/a: %s / %s: %s" % (client, scenario, why))
        return "\n".join(lines)


class Suite:
    def __init__(self, opts, broker, work, only=None):
        self.opts, self.broker, self.work = opts, broker, work
        self.only = only  # None: every client
        self.matrix = Matrix()
        self.step_no = 0
        # Topic and group names carry a run id: an external broker keeps
        # what earlier runs created.
        self.run_id = "%06x" % (int(time.time() * 1000) & 0xffffff)
        self.lock = threading.Lock()
        self.procs = set()  # live children, killed by PID on abort
        self.broker_dead = threading.Event()
        self.stop_watch = threading.Event()  # set before the broker is stopped on purpose
        threading.Thread(target=self._watch_broker, daemon=True).start()
        node_path = os.path.join(opts.clients_dir, "node_modules")
        self.env = dict(os.environ, NODE_PATH=node_path, KAFKAJS_NO_PARTITIONER_WARNING="1")

    # -- child processes -------------------------------------------------

    def _watch_broker(self):
        """When the broker dies, every running step is killed and no new one
        starts, so a crash costs seconds, not every step's timeout."""
        while not self.broker_dead.is_set() and not self.stop_watch.is_set():
            if not self.broker.alive():
                if self.stop_watch.is_set():
                    return  # stopped on purpose
                log("strata-broker died: stopping every client step\n" +
                    self.broker.stderr_tail())
                self.broker_dead.set()
                self.kill_all()
                return
            time.sleep(0.2)

    def _log_path(self, name):
        with self.lock:
            self.step_no += 1
            n = self.step_no
        return os.path.join(self.work, "%03d-%s.log" % (n, re.sub(r"[^A-Za-z0-9_.-]", "_", name)))

    def run(self, name, argv, timeout_s, stdin_data=None):
        """Runs one child with a bound; returns (exit status or None on
        timeout, stdout text, stderr log path)."""
        path = self._log_path(name)
        with open(path, "wb") as err:
            err.write(("$ " + " ".join(argv) + "\n").encode())
            err.flush()
            if self.broker_dead.is_set():
                err.write(b"not run: strata-broker is not running\n")
                return 1, "", path
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=err, env=self.env)
            with self.lock:
                self.procs.add(proc)
            try:
                out, _ = proc.communicate(input=stdin_data, timeout=timeout_s)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate()
                rc = None
            finally:
                with self.lock:
                    self.procs.discard(proc)
        return rc, out.decode(errors="replace"), path

    def kill_all(self):
        with self.lock:
            procs = list(self.procs)
        for p in procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)

    def worker(self, client, op, args, timeout_s):
        """Runs one worker operation; returns its JSON result (ok false with
        the reason and the log tail on any failure)."""
        args = dict(args, bootstrap=self.broker.kafka)
        if client == "kafkajs":
            argv = ["node", os.path.join(HERE, "worker_kafkajs.js"), op, json.dumps(args)]
        elif client == "java":
            # Short-lived JVMs on a loaded machine: the C1 compiler only and
            # the serial collector start fastest.
            argv = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-cp", self.opts.java_classpath, "CompatWorker", op, json.dumps(args)]
        else:
            script = {"confluent-kafka-python": "worker_confluent.py",
                      "kafka-python": "worker_kafka_python.py"}[client]
            argv = [sys.executable, os.path.join(HERE, script), op, json.dumps(args)]
        rc, out, path = self.run("%s-%s" % (client, op), argv, timeout_s)
        return common.worker_result(rc, out, path, timeout_s)

    def cli(self, name, args, timeout_s=30, stdin_data=None):
        return self.run(name, [self.opts.cli, "--broker", self.broker.native] + args,
                        timeout_s, stdin_data)

    def cli_create(self, topic, partitions):
        if self.broker.native is None:
            r = self.worker("confluent-kafka-python", "create_topic",
                            {"topic": topic, "partitions": partitions}, 60)
            return "" if r["ok"] else r["error"]
        rc, out, path = self.cli("cli-create-" + topic,
                                 ["topic", "create", topic, "--partitions", str(partitions)])
        if rc != 0:
            return "strata topic create exited %s\n    %s" % (rc, common.log_tail(path))
        return ""

    # -- checks ------------------------------------------------------------

    @staticmethod
    def check_records(records, expected_keys, what):
        """'' when records (lists of [topic, partition, offset, key]) hold each
        expected key exactly once and no (partition, offset) twice."""
        problems = []
        positions = [(r[0], r[1], r[2]) for r in records]
        dup_pos = len(positions) - len(set(positions))
        keys = [r[3] for r in records]
        missing = expected_keys - set(keys)
        extra = set(keys) - expected_keys
        dup_keys = len(keys) - len(set(keys))
        if dup_pos or dup_keys:
            problems.append("%d records read twice" % max(dup_pos, dup_keys))
        if missing:
            problems.append("%d missing (e.g. %s)" % (len(missing), sorted(missing)[:3]))
        if extra:
            problems.append("%d unexpected keys (e.g. %s)" % (len(extra), sorted(extra)[:3]))
        return ("%s: " % what + ", ".join(problems)) if problems else ""

    # -- per-client scenario chains ------------------------------------------

    def client_chain(self, client):
        topic = "compat-%s-main-%s" % (client.replace("-", ""), self.run_id)
        expected = set()
        # create-6
        if client == "kcat":
            err = self.cli_create(topic, PARTITIONS) or self.kcat_partition_count(topic, PARTITIONS)
            self.matrix.set(client, "create-6", not err, err or (
                "kcat has no admin API: topic created with " +
                ("the strata CLI" if self.broker.native else "confluent-kafka's admin client") +
                ", %d partitions checked with kcat -L" % PARTITIONS))
        else:
            r = self.worker(client, "create_topic", {"topic": topic, "partitions": PARTITIONS}, 60)
            self.matrix.set(client, "create-6", r["ok"], "" if r["ok"] else r["error"])
            if not r["ok"]:
                err = self.cli_create(topic, PARTITIONS)  # let the other scenarios run
                if err:
                    log("%s: fallback create failed too: %s" % (client, err))
        # produce, then produce with idempotence; each reads its records back
        ends = {p: 0 for p in range(PARTITIONS)}  # the topic is new
        for scenario, start, idem in (("produce", 0, False),
                                      ("produce-idem", PRODUCE_COUNT, True)):
            if idem and client == "kafka-python":
                self.matrix.set(client, scenario, None,
                                "kafka-python 2.0.2 has no idempotent producer "
                                "(KafkaProducer has no enable_idempotence)")
                continue
            ok, err, first_offsets = self.produce(client, topic, start, PRODUCE_COUNT, idem)
            # Counted as delivered only when the group read below finds them.
            if ok:
                expected |= {common.key_of(i) for i in range(start, start + PRODUCE_COUNT)}
                err = self.read_back(topic, start, PRODUCE_COUNT, ends, first_offsets, idem)
            self.matrix.set(client, scenario, not err, err)
        # group-resume
        group = "compat-%s-resume-%s" % (client.replace("-", ""), self.run_id)
        err = self.group_resume(client, topic, group, expected)
        self.matrix.set(client, "group-resume", not err, err)
        # group-split
        split_topic = "compat-%s-split-%s" % (client.replace("-", ""), self.run_id)
        err = self.cli_create(split_topic, PARTITIONS)
        if not err:
            err = self.group_split(client, split_topic, split_topic)
        self.matrix.set(client, "group-split", not err, err)
        if client in TIME_CLIENTS:
            err = self.offsets_for_times(client)
            self.matrix.set(client, "offsets-for-times", not err, err)

    def offsets_for_times(self, client):
        """'' when offsetsForTimes answers, for every partition and target
        timestamp, the first offset whose record has a timestamp at or after
        the target, with that record's timestamp, or nothing (null) when no
        record is that late. Targets: before every record, exactly on one,
        between two, on the last one only one partition holds, after all."""
        topic = "compat-%s-time-%s" % (client.replace("-", ""), self.run_id)
        err = self.cli_create(topic, 3)
        if err:
            return err
        # An hour back: inside Kafka's default retention and its bounds on
        # create timestamps (log.message.timestamp.{before,after}.max.ms).
        base = (int(time.time()) - 3600) * 1000
        last = base + (TIME_COUNT - 1) * TIME_STEP_MS
        mid = base + (TIME_COUNT // 2) * TIME_STEP_MS
        targets = [base - 60000, base, mid, mid + TIME_STEP_MS // 2, last, last + 60000]
        args = {"topic": topic, "partitions": 3, "count": TIME_COUNT, "base_ms": base,
                "step_ms": TIME_STEP_MS, "targets": [str(t) for t in targets]}
        if client == "kcat":
            r = self.worker("confluent-kafka-python", "offsets_for_times", dict(args, targets=[]),
                            90)
            if not r["ok"]:
                return "producing with confluent-kafka-python: " + r["error"]
            r["answers"], err = self.kcat_offsets_for_times(topic, 3, targets)
            if err:
                return err
        else:
            r = self.worker(client, "offsets_for_times", args, 90)
            if not r["ok"]:
                return r["error"]
        by_partition = {}
        for p, o, ts in r["produced"]:
            by_partition.setdefault(p, []).append((o, ts))
        if len(r["produced"]) != TIME_COUNT:
            return "%d records acknowledged, %d sent" % (len(r["produced"]), TIME_COUNT)
        wrong, answered = [], 0
        for target, p, offset, ts in r["answers"]:
            later = [x for x in by_partition.get(p, []) if x[1] >= target]
            want = min(later) if later else (-1, -1)
            if not later and client == "kafkajs":  # it answers the end offset for "none"
                want = (max(o for o, _ in by_partition.get(p, [(-1, 0)])) + 1, -1)
            answered += 1
            if ts is None:  # librdkafka and kafkajs answer offsets only
                want = (want[0], None)
            if (offset, ts) != want:
                # Wrong offsets first: they lose or repeat records.
                wrong.insert(0 if offset != want[0] else len(wrong),
                             "partition %d at %+d ms from the first record: answered offset "
                             "%d timestamp %s, expected offset %d timestamp %s" % (
                                 p, target - base, offset, ts, want[0], want[1]))
        if answered != len(targets) * 3:
            return "%d answers for %d partitions x %d targets" % (answered, 3, len(targets))
        if wrong:
            return "%d of %d offsetsForTimes answers wrong: %s" % (len(wrong), answered,
                                                                  "; ".join(wrong[:4]))
        return ""

    def kcat_offsets_for_times(self, topic, partitions, targets):
        """kcat's answers for the offsets-for-times check, ([target, partition,
        offset, timestamp], ''), or ([], why not): `-o s@TS -c 1` reads the
        first record at or after the timestamp, whose offset and timestamp
        are the answer; nothing read means no record is that late (-1, -1)."""
        answers = []
        for target in targets:
            for p in range(partitions):
                rc, out, path = self.run(
                    "kcat-time-%s-%d-%d" % (topic, p, target),
                    ["kcat", "-C", "-b", self.broker.kafka, "-t", topic, "-p", str(p),
                     "-o", "s@%d" % target, "-c", "1", "-e", "-f", "%o %T\n"], 30)
                if rc != 0:
                    return [], "kcat -o s@%d -p %d exited %s\n    %s" % (
                        target, p, rc, common.log_tail(path))
                fields = out.split()
                offset, ts = (int(fields[0]), int(fields[1])) if fields else (-1, -1)
                answers.append([target, p, offset, ts])
        return answers, ""

    def kcat_partition_count(self, topic, partitions):
        """'' when kcat's metadata (-L) shows the topic with `partitions`
        partitions; asks again for up to 10 s (metadata may lag a create)."""
        deadline = common.Deadline(10)
        while True:
            rc, out, path = self.run("kcat-metadata-" + topic,
                                     ["kcat", "-L", "-b", self.broker.kafka, "-t", topic], 20)
            m = re.search(r'topic "%s" with (\d+) partitions' % re.escape(topic), out)
            if rc == 0 and m and int(m.group(1)) == partitions:
                return ""
            if deadline.passed() or self.broker_dead.is_set():
                return "kcat -L (exit %s) shows %s partitions, expected %d\n    %s" % (
                    rc, m.group(1) if m else "no", partitions, common.log_tail(path))
            time.sleep(0.5)

    def produce(self, client, topic, start, count, idempotent, compression=None):
        if client == "kcat":
            lines = "".join("%s\t%s\n" % (common.key_of(i), common.value_of(i))
                            for i in range(start, start + count))
            argv = ["kcat", "-P", "-b", self.broker.kafka, "-t", topic, "-K", "\t",
                    "-X", "acks=all", "-X", "linger.ms=5"]
            if idempotent:
                argv += ["-X", "enable.idempotence=true"]
            if compression:
                argv += ["-z", compression]
            rc, _, path = self.run("kcat-produce-" + topic, argv, 90, lines.encode())
            if rc != 0:
                return False, "kcat -P exited %s\n    %s" % (rc, common.log_tail(path)), None
            return True, "", None  # kcat -P reports no offsets
        r = self.worker(client, "produce", {"topic": topic, "start": start, "count": count,
                                            "idempotent": idempotent}, 90)
        if not r["ok"]:
            return False, r["error"], None
        return True, "", {int(p): o for p, o in r.get("first_offsets", {}).items()}

    def read_back(self, topic, start, count, ends, first_offsets, idempotent):
        """'' when the records a produce step acknowledged are stored: read
        with librdkafka from `ends` (each partition's end before the step)
        to the high watermark, they are keys start..start+count-1, each once
        with its value, at offsets dense from the first acknowledged one
        (which is where the partition ended); with idempotence, strata-dump
        shows a producer id on every batch written. Updates `ends`."""
        problems = []
        for p, o in sorted((first_offsets or {}).items()):
            if o != ends.get(p, 0):
                problems.append("partition %d: first acknowledged offset %d, but it ended at "
                                "%d before" % (p, o, ends.get(p, 0)))
        r = self.worker("confluent-kafka-python", "read_range",
                        {"topic": topic, "start": ends, "timeout_s": 60}, 90)
        if not r["ok"]:
            return "read back: " + r["error"]
        records = r["records"]
        by_partition = {}
        for p, o, _, _ in records:
            by_partition.setdefault(p, []).append(o)
        for p, offsets in sorted(by_partition.items()):
            first = ends.get(p, 0)
            if sorted(offsets) != list(range(first, first + len(offsets))):
                problems.append("partition %d: offsets %s..%s (%d records) are not dense from %d"
                                % (p, min(offsets), max(offsets), len(offsets), first))
        bad = sum(1 for r_ in records if not r_[3])
        if bad:
            problems.append("%d values differ from what was produced" % bad)
        err = self.check_records([[topic, p, o, k] for p, o, k, _ in records],
                                 {common.key_of(i) for i in range(start, start + count)},
                                 "read back")
        if err:
            problems.append(err)
        if idempotent and not problems:
            err = self.check_producer_ids(topic, ends)
            if err:
                problems.append(err)
        for p, high in r["high_watermarks"].items():
            ends[int(p)] = high
        return "; ".join(problems)

    def check_producer_ids(self, topic, ends):
        """'' when every batch of the topic at or above `ends` carries a
        producer id (>= 0) and epoch, as strata-dump --batches shows it."""
        seen, without = 0, []
        for p in sorted(ends):
            d = os.path.join(self.broker.data_dir, "%s-%d" % (topic, p))
            rc, out, path = self.run("dump-%s-%d" % (topic, p), [self.opts.dump, "--batches", d],
                                     30)
            if rc != 0:
                return "strata-dump %s exited %s\n    %s" % (d, rc, common.log_tail(path))
            for m in re.finditer(r" base_offset=(-?\d+) .*? producer_id=(-?\d+) "
                                 r"producer_epoch=(-?\d+) ", out):
                if int(m.group(1)) < ends[p]:
                    continue
                seen += 1
                if int(m.group(2)) < 0 or int(m.group(3)) < 0:
                    without.append("%s-%d@%s" % (topic, p, m.group(1)))
        if not seen:
            return "strata-dump shows no batch written by the idempotent producer"
        if without:
            return "%d of %d batches written with idempotence carry no producer id (e.g. %s)" % (
                len(without), seen, without[:3])
        return ""

    def group_resume(self, client, topic, group, expected):
        """Reads about half in a group and commits; a restarted member reads
        the rest; a third finds nothing left. Nothing missing, nothing twice."""
        if not expected:
            return "nothing was produced"
        half = len(expected) // 2
        phases = []
        for n, (maximum, quiet) in enumerate(((half, 0), (len(expected) - half, 0), (0, 2.0))):
            r = self.group_consume(client, topic, group, maximum, quiet, "resume%d" % (n + 1))
            if not r["ok"]:
                return "phase %d: %s" % (n + 1, r["error"])
            if r.get("timed_out"):
                # Phase 3 reads nothing when all went well, and nothing too
                # when it never got an assignment: only a quiet assigned
                # member is evidence.
                return "phase %d: the member timed out after %d records (assignment %s)" % (
                    n + 1, len(r["records"]), r.get("assignment"))
            if r.get("bad_values"):
                return "phase %d: %d values differ from what was produced" % (n + 1,
                                                                              r["bad_values"])
            phases.append(r["records"])
        if len(phases[0]) != half:
            return "phase 1 read %d records, expected %d" % (len(phases[0]), half)
        if phases[2]:
            return "a member restarted after everything was committed read %d records again " \
                   "(e.g. %s)" % (len(phases[2]), phases[2][:3])
        return self.check_records(phases[0] + phases[1], expected, "phases 1+2")

    def group_consume(self, client, topic, group, maximum, quiet_s, name):
        if client != "kcat":
            return self.worker(client, "consume", {"topics": [topic], "group": group,
                                                   "max": maximum, "quiet_s": quiet_s,
                                                   "timeout_s": 60}, 90)
        argv = ["kcat", "-b", self.broker.kafka, "-G", group, topic, "-e",
                "-f", "%t\t%p\t%o\t%k\t%s\n", "-X", "auto.offset.reset=earliest",
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500"]
        if maximum:
            argv += ["-c", str(maximum)]
        rc, out, path = self.run("kcat-" + name, argv, 90)
        if rc != 0:
            return {"ok": False, "error": "kcat -G exited %s\n    %s" % (rc, common.log_tail(path))}
        records, bad = [], 0
        for line in out.splitlines():
            t, p, o, k, v = line.split("\t", 4)
            records.append([t, int(p), int(o), k])
            bad += 0 if common.check_value(k, v) else 1
        return {"ok": True, "records": records, "bad_values": bad}

    def group_split(self, client, topic, group):
        args = {"topic": topic, "group": group, "partitions": PARTITIONS,
                "n1": SPLIT_N, "n2": SPLIT_N, "timeout_s": 90}
        if client == "kcat":
            r = self.kcat_split(args)
        else:
            r = self.worker(client, "split", args, 120)
        if not r.get("ok"):
            return r.get("error", "failed")
        return self.check_split(r)

    def check_split(self, r):
        a = r.get("a_records", [])
        b = r.get("b_records", [])
        if r.get("bad_values"):
            return "%d values differ from what was produced" % r["bad_values"]
        if len(r.get("a_after_leave", [])) != PARTITIONS:
            return "after B left, A held %s" % r.get("a_after_leave")
        pa = {(x[1], x[2]) for x in a}
        pb = {(x[1], x[2]) for x in b}
        both = pa & pb
        if both:
            return "%d records committed by B were read again by A (e.g. %s); split was %s" % (
                len(both), sorted(both)[:3], r.get("split"))
        if not b:
            return "B read nothing (split %s)" % r.get("split")
        expected = {common.key_of(i) for i in range(SPLIT_N * 2)}
        return self.check_records(a + b, expected, "A+B")

    def kcat_split(self, args):
        """The split scenario with two `kcat -G` processes; assignments from
        kcat's '% Group ... rebalanced ... assigned: t [p], ...' lines; B
        leaves on SIGTERM (kcat closes the consumer: final commit, LeaveGroup)."""
        deadline = common.Deadline(args["timeout_s"])
        topic = args["topic"]
        members = {}
        result = {"ok": False}

        def start(name):
            path = self._log_path("kcat-split-" + name)
            argv = ["kcat", "-b", self.broker.kafka, "-G", args["group"], topic, "-u",
                    "-f", "%t\t%p\t%o\t%k\t%s\n", "-X", "auto.offset.reset=earliest",
                    "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
                    "-X", "auto.commit.interval.ms=200"]
            if self.broker_dead.is_set():
                raise TimeoutError("not run: strata-broker is not running")
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=self.env)
            with self.lock:
                self.procs.add(proc)
            m = {"proc": proc, "assignment": set(), "records": [], "bad": 0,
                 "log": path, "lock": threading.Lock()}

            def read_out():
                for raw in proc.stdout:
                    t, p, o, k, v = raw.decode(errors="replace").rstrip("\n").split("\t", 4)
                    with m["lock"]:
                        m["records"].append([t, int(p), int(o), k])
                        m["bad"] += 0 if common.check_value(k, v) else 1

            def read_err():
                with open(path, "wb") as f:
                    f.write(("$ " + " ".join(argv) + "\n").encode())
                    for raw in proc.stderr:
                        f.write(raw)
                        f.flush()
                        line = raw.decode(errors="replace")
                        if "rebalanced" in line:
                            parts = {int(x) for x in re.findall(r"\[(\d+)\]", line)}
                            with m["lock"]:
                                m["assignment"] = parts if "assigned:" in line else set()
            m["threads"] = [threading.Thread(target=read_out, daemon=True),
                            threading.Thread(target=read_err, daemon=True)]
            for t in m["threads"]:
                t.start()
            members[name] = m
            return m

        def owned(m):
            with m["lock"]:
                return set(m["assignment"])

        def count():
            return sum(len(m["records"]) for m in members.values())

        def wait(cond, what):
            while not cond():
                if deadline.passed():
                    raise TimeoutError("timed out waiting for " + what)
                if self.broker_dead.is_set():
                    raise TimeoutError("strata-broker died while waiting for " + what)
                time.sleep(0.05)

        def stop(m):
            if m["proc"].poll() is None:
                os.kill(m["proc"].pid, signal.SIGTERM)
                try:
                    m["proc"].wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.kill(m["proc"].pid, signal.SIGKILL)
                    m["proc"].wait()
            for t in m["threads"]:
                t.join(timeout=5)
            with self.lock:
                self.procs.discard(m["proc"])

        parts = args["partitions"]
        try:
            a = start("A")
            wait(lambda: len(owned(a)) == parts, "A to hold every partition alone")
            b = start("B")
            wait(lambda: owned(a) and owned(b) and not (owned(a) & owned(b)) and
                 len(owned(a) | owned(b)) == parts, "A and B to split the partitions")
            result["split"] = [sorted(owned(a)), sorted(owned(b))]
            ok, err, _ = self.produce("kcat", topic, 0, args["n1"], False)
            if not ok:
                raise TimeoutError("produce: " + err)
            wait(lambda: count() >= args["n1"], "A and B to read the first %d" % args["n1"])
            stop(b)
            if b["proc"].returncode != 0:
                raise TimeoutError("B (kcat) exited %s on SIGTERM" % b["proc"].returncode)
            wait(lambda: len(owned(a)) == parts, "A to take every partition after B left")
            result["a_after_leave"] = sorted(owned(a))
            ok, err, _ = self.produce("kcat", topic, args["n1"], args["n2"], False)
            if not ok:
                raise TimeoutError("produce: " + err)
            wait(lambda: count() >= args["n1"] + args["n2"], "A to read the second %d" % args["n2"])
            time.sleep(1.0)  # room for a duplicate delivery to show up
            result["ok"] = True
        except TimeoutError as e:
            result["error"] = "%s\n    A log %s:\n    %s\n    B log %s:\n    %s" % (
                e, members.get("A", {}).get("log"), common.log_tail(members["A"]["log"]) if "A" in members else "",
                members.get("B", {}).get("log"), common.log_tail(members["B"]["log"]) if "B" in members else "")
        finally:
            for m in members.values():
                stop(m)
        result["a_records"] = members["A"]["records"] if "A" in members else []
        result["b_records"] = members["B"]["records"] if "B" in members else []
        result["bad_values"] = sum(m["bad"] for m in members.values())
        return result

    # -- compression ----------------------------------------------------------

    def codec_chain(self):
        """kcat (librdkafka) produces one topic per codec; the batches on disk
        must carry that codec; kcat and confluent-kafka-python (librdkafka
        both), kafka-python, kafkajs and the native client must each read
        every record back."""
        topics = {}
        for codec in CODECS:
            topic = "compat-z-%s-%s" % (codec, self.run_id)
            err = self.cli_create(topic, 3)
            if not err:
                ok, err, _ = self.produce("kcat", topic, 0, CODEC_COUNT, False, codec)
            if not err:
                err = self.check_stored_codec(topic, 3, codec)
            if err:
                self.matrix.set("kcat", codec, False, err)
            else:
                topics[codec] = topic
        expected = {common.key_of(i) for i in range(CODEC_COUNT)}
        all_topics = [topics[c] for c in CODECS if c in topics]
        for codec, topic in topics.items():
            err = self.kcat_read(topic, expected)
            self.matrix.set("kcat", codec, not err, ("kcat -C: " + err) if err else "")
        java_errors = self.java_codecs(expected) if self.selected("java") else {}
        for client in ("confluent-kafka-python", "kafka-python", "kafkajs", "java"):
            if not all_topics or not self.selected(client):
                continue
            r = self.worker(client, "read", {"topics": all_topics, "group": "compat-z-%s-%s" % (client, self.run_id),
                                             "count": CODEC_COUNT * len(all_topics),
                                             "timeout_s": 60}, 90)
            for codec, topic in topics.items():
                if not r["ok"]:
                    self.matrix.set(client, codec, False, r["error"])
                    continue
                recs = [x for x in r["records"] if x[0] == topic]
                err = self.check_records(recs, expected, topic)
                if not err and r.get("bad_values"):
                    err = "%d values differ from what was produced" % r["bad_values"]
                if client == "java":
                    err = "; ".join(e for e in (err and "reading kcat's " + err,
                                                java_errors.get(codec, "")) if e)
                self.matrix.set(client, codec, not err, err)
        for codec in CODECS:
            if codec not in topics and java_errors.get(codec):
                self.matrix.set("java", codec, False, java_errors[codec])
        for codec, topic in topics.items():
            if self.broker.native is None:
                break
            rc, out, path = self.cli("native-read-" + topic,
                                     ["-o", "json", "consume", topic, "--from-beginning",
                                      "--max-messages", str(CODEC_COUNT), "--timeout-ms", "10000"],
                                     60)
            if rc != 0:
                self.matrix.set("native", codec, False,
                                "strata consume exited %s\n    %s" % (rc, common.log_tail(path)))
                continue
            recs, bad = [], 0
            for line in out.splitlines():
                j = json.loads(line)
                recs.append([topic, j["partition"], j["offset"], j["key"]])
                bad += 0 if common.check_value(j["key"] or "", j["value"] or "") else 1
            err = self.check_records(recs, expected, topic)
            if not err and bad:
                err = "%d values differ from what was produced" % bad
            self.matrix.set("native", codec, not err, err)

    def selected(self, client):
        return self.only is None or client in self.only

    def java_codecs(self, expected):
        """{codec: error or ''}: the Java client's idempotent producer (acks=all)
        writes a topic per codec; the stored batches must carry that codec
        and a producer id, and kcat must read every record back."""
        errors = {}
        for codec in CODECS:
            topic = "compat-zjava-%s-%s" % (codec, self.run_id)
            err = self.cli_create(topic, 3)
            if not err:
                r = self.worker("java", "produce", {"topic": topic, "start": 0,
                                                    "count": CODEC_COUNT, "idempotent": True,
                                                    "compression": codec}, 90)
                err = "" if r["ok"] else "producing: " + r["error"]
            if not err:
                err = self.check_stored_codec(topic, 3, codec)
            if not err:
                err = self.check_producer_ids(topic, {p: 0 for p in range(3)})
            if not err:
                err = self.kcat_read(topic, expected)
                err = err and "kcat -C reading what the Java client wrote: " + err
            errors[codec] = err and "%s written by the Java client: %s" % (topic, err)
        return errors

    def kcat_read(self, topic, expected):
        """'' when `kcat -C` reads every expected key of topic once, with its
        value, from the beginning to the end of each partition."""
        rc, out, path = self.run("kcat-read-" + topic,
                                 ["kcat", "-C", "-b", self.broker.kafka, "-t", topic, "-o",
                                  "beginning", "-e", "-f", "%t\t%p\t%o\t%k\t%s\n"], 60)
        if rc != 0:
            return "exited %s\n    %s" % (rc, common.log_tail(path))
        records, bad = [], 0
        for line in out.splitlines():
            t, p, o, k, v = line.split("\t", 4)
            records.append([t, int(p), int(o), k])
            bad += 0 if common.check_value(k, v) else 1
        err = self.check_records(records, expected, topic)
        if not err and bad:
            err = "%d values differ from what was produced" % bad
        return err

    def check_stored_codec(self, topic, partitions, codec):
        """'' when every batch of the topic on disk carries `codec`: librdkafka
        silently sends uncompressed batches when the advertised Produce
        versions do not allow the codec."""
        seen = {}
        for p in range(partitions):
            d = os.path.join(self.broker.data_dir, "%s-%d" % (topic, p))
            rc, out, path = self.run("dump-%s-%d" % (topic, p),
                                     [self.opts.dump, "--batches", d], 30)
            if rc != 0:
                return "strata-dump %s exited %s\n    %s" % (d, rc, common.log_tail(path))
            for c in re.findall(r" codec=(\w+)", out):
                seen[c] = seen.get(c, 0) + 1
        if set(seen) != {codec}:
            return "stored batches by codec: %s (the producer was asked for %s)" % (seen, codec)
        return ""


def missing_clients(opts):
    """{client: reason} for each client that is not installed."""
    missing = {}
    if shutil.which("kcat") is None:
        missing["kcat"] = "kcat not on PATH"
    for client, module in (("confluent-kafka-python", "confluent_kafka"),
                           ("kafka-python", "kafka")):
        try:
            __import__(module)
        except ImportError as e:
            missing[client] = "%s cannot import %s: %s" % (sys.executable, module, e)
    manifest = os.path.join(opts.clients_dir, "node_modules", "kafkajs", "package.json")
    if shutil.which("node") is None:
        missing["kafkajs"] = "node not on PATH"
    else:
        try:
            with open(manifest) as f:
                version = json.load(f)["version"]
            if version != KAFKAJS_VERSION:
                missing["kafkajs"] = "%s is kafkajs %s, not %s" % (manifest, version,
                                                                 KAFKAJS_VERSION)
        except (OSError, ValueError, KeyError):
            missing["kafkajs"] = "no kafkajs at %s" % manifest
        for mod in ("kafkajs-snappy", "lz4js", "fzstd"):
            if not os.path.isdir(os.path.join(opts.clients_dir, "node_modules", mod)):
                missing.setdefault("kafkajs", "")
                missing["kafkajs"] += "; no %s in %s/node_modules (deploy/install-deps.sh kafka-clients)" % (
                    mod, opts.clients_dir)
    reason = prepare_java(opts)
    if reason:
        missing["java"] = reason
    return missing


def prepare_java(opts):
    """Resolves kafka-clients (tests/jvm/resolve.sh clients, pinned in
    tests/jvm/pom.xml) and compiles tests/jvm/CompatWorker.java into
    opts.java_classes; sets opts.java_classpath. Returns '' or why the Java
    row cannot run (which fails it: a JDK or jars that are missing are not
    a pass)."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return "%s not on PATH (deploy/install-deps.sh jvm)" % tool
    proc = subprocess.run([os.path.join(JVM_DIR, "resolve.sh"), "clients"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        return "tests/jvm/resolve.sh clients exited %d%s: %s" % (
            proc.returncode, " (Maven Central unreachable and the cache lacks kafka-clients)"
            if proc.returncode == 3 else "", proc.stderr.strip()[-600:])
    classpath = proc.stdout.strip()
    os.makedirs(opts.java_classes, exist_ok=True)
    src = os.path.join(JVM_DIR, "CompatWorker.java")
    log("compiling %s into %s" % (src, opts.java_classes))
    proc = subprocess.run(["javac", "-Xlint:all", "-Werror", "--release", "17",
                           "-d", opts.java_classes, "-cp", classpath, src],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        return "javac %s failed:\n    %s" % (src, proc.stdout.strip()[-1500:])
    opts.java_classpath = opts.java_classes + os.pathsep + classpath
    return ""


def main():
    default_dir = os.environ.get("STRATA_KAFKA_CLIENTS_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ.get("HOME", "/root"),
                                                         ".cache"),
        "strata", "kafka-clients")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", required=True, help="strata-broker binary")
    ap.add_argument("--cli", required=True, help="strata CLI binary")
    ap.add_argument("--dump", required=True, help="strata-dump binary")
    ap.add_argument("--clients-dir", default=default_dir,
                    help="where node_modules with kafkajs is (default %(default)s)")
    ap.add_argument("--jobs", type=int, default=3, help="client chains run at once")
    ap.add_argument("--only", default="", help="comma-separated clients (debugging; the "
                    "others then count as failed)")
    ap.add_argument("--kafka-bootstrap", default="",
                    help="run against this already running Kafka-protocol broker instead "
                    "(e.g. Apache Kafka as the reference); needs --kafka-data-dir")
    ap.add_argument("--kafka-data-dir", default="", help="that broker's log dir")
    ap.add_argument("--apache-kafka", action="store_true",
                    help="run the same matrix against Apache Kafka (tests/system/"
                    "kafka_reference.py starts it) instead of strata-broker: the reference "
                    "every Strata cell must match")
    ap.add_argument("--java-classes", default="",
                    help="where javac puts tests/jvm/CompatWorker.java (a build dir; "
                    "default: the work dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()

    work = tempfile.mkdtemp(prefix="strata-kafka-compat.")
    opts.java_classes = opts.java_classes or os.path.join(work, "jvm-classes")
    if opts.apache_kafka:
        broker = ReferenceBroker(work)
    elif opts.kafka_bootstrap:
        broker = ExternalBroker(opts.kafka_bootstrap, opts.kafka_data_dir)
    else:
        broker = Broker(opts.broker, work)
    suite = None
    started = time.monotonic()
    rc = 1
    try:
        broker.start()
        only = set(opts.only.split(",")) if opts.only else None
        suite = Suite(opts, broker, work, only)
        missing = missing_clients(opts)
        for client, reason in missing.items():
            for s in SCENARIOS:
                suite.matrix.set(client, s, False, "not installed: " + reason
                                 if s == SCENARIOS[0] else "")
        chains = [c for c in CHAINS if c not in missing and (only is None or c in only)]
        for c in CHAINS:
            if c not in chains and c not in missing:
                for s in SCENARIOS:
                    suite.matrix.set(c, s, False, "not run (--only)" if s == SCENARIOS[0] else "")
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            futures = {pool.submit(suite.client_chain, c): c for c in chains}
            if "kcat" not in missing and (only is None or only & {"codecs", "kcat", "java"}):
                futures[pool.submit(suite.codec_chain)] = "codecs"
            for f in concurrent.futures.as_completed(futures):
                exc = f.exception()
                if exc is not None:
                    import traceback
                    traceback.print_exception(type(exc), exc, exc.__traceback__)
                    suite.matrix.set(futures[f] if futures[f] in CLIENTS else "kcat",
                                     SCENARIOS[0], False, "driver error: %r" % exc)
        if not broker.alive():
            suite.matrix.set("native", SCENARIOS[0], False,
                             "the broker died during the run (exit status %s); its log "
                             "ends:\n    %s" % (broker.proc.returncode,
                                                 broker.stderr_tail().replace("\n", "\n    ")))
        rc = 1 if suite.matrix.failed() else 0
    except Exception as e:  # broker start failures and driver bugs
        import traceback
        traceback.print_exc()
        log("suite aborted: %s" % e)
        rc = 1
    finally:
        if suite is not None:
            suite.stop_watch.set()
            suite.kill_all()
        # A non-zero exit after SIGTERM (an unclean stop, or a sanitizer
        # report in the ASan/UBSan build) fails the suite, cells or not.
        broker_error = broker.stop_checked()
        if broker_error:
            rc = 1
        if suite is not None:
            print("\nKafka client compatibility (%s at %s, %.0f s):\n" % (
                "strata-broker" if broker.native else
                "Apache Kafka" if opts.apache_kafka else "external broker", broker.kafka,
                time.monotonic() - started))
            print(suite.matrix.render())
            if suite.matrix.details:
                print("\nDetails:")
                for d in suite.matrix.details:
                    print("  " + d)
        total = sum(1 for row in (suite.matrix.cells.values() if suite else [])
                    for v in row.values() if v in ("pass", "FAIL"))
        failed = sum(1 for row in (suite.matrix.cells.values() if suite else [])
                     for v in row.values() if v == "FAIL")
        if broker_error:
            print("\nBroker:\n  " + broker_error)
        print("\nkafka-compat: %d passed, %d failed%s" % (
            total - failed, failed if suite else 1,
            "; strata-broker did not stop cleanly" if broker_error else ""))
        if opts.keep or rc != 0:
            print("work dir (logs, broker data): " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
