#!/usr/bin/env python3
"""Kafka's own command-line tools against Apache Kafka and against
strata-broker, in one run, their outputs compared field by field (CTest
system.kafka_cli, issue 15 part 2).

The tools run as the Java main classes behind the shell scripts, from the
kafka-tools jars pinned in tests/jvm/pom.xml (tests/jvm/resolve.sh tools):
kafka-topics (TopicCommand), kafka-console-producer (ConsoleProducer),
kafka-console-consumer (ConsoleConsumer) and kafka-consumer-groups
(ConsumerGroupCommand: list, describe, describe --state, reset-offsets).
The same steps run against both brokers; each step's output is parsed into
fields, checked against what the step must show (so a broken step fails on
Kafka too), and compared with Kafka's. Fields that name the broker itself
(its node id, host and port, topic ids, member ids) are compared by shape
only: the leader, replicas and ISR must be one and the same node id.

Exit status 0 when every step passed on both brokers and agreed, else 1.
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
TOPIC, GROUP, PARTITIONS, RECORDS = "cli-topic", "cli-group", 3, 30
KAFKA_CONFIG = {"group.initial.rebalance.delay.ms": "0"}
STRATA_ARGS = ["--group-initial-rebalance-delay-ms", "0"]
JAVA_OPTS = ["-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"]
TOOLS = {
    "kafka-topics": "org.apache.kafka.tools.TopicCommand",
    "kafka-console-producer": "org.apache.kafka.tools.ConsoleProducer",
    "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "kafka-consumer-groups": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
}


def log(msg):
    sys.stderr.write("[kafka-cli %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def table(text):
    """Rows of a whitespace-aligned table (header line first) as dicts."""
    lines = [l for l in text.splitlines() if l.strip()]
    for i, line in enumerate(lines):
        if line.split()[:1] == ["GROUP"]:
            header = line.split()
            return [dict(zip(header, row.split())) for row in lines[i + 1:]
                    if len(row.split()) == len(header)]
    return []


def records_of(n):
    """Keyed lines for the console producer: key:value."""
    return ["k%02d:v%02d" % (i, i) for i in range(n)]


class Steps:
    """One broker's run of the tools; results[step] = parsed fields."""

    def __init__(self, name, broker, classpath, work):
        self.name, self.broker, self.classpath, self.work = name, broker, classpath, work
        self.n = 0
        self.results = {}
        self.failures = []

    def tool(self, step, script, args, stdin=None, limit_s=90):
        self.n += 1
        cmd = ["java"] + JAVA_OPTS + ["-cp", self.classpath, TOOLS[script],
                                      "--bootstrap-server", self.broker.kafka] + args
        log_path = os.path.join(self.work, "%02d-%s.log" % (self.n, step))
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, input=(stdin or "").encode(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=limit_s)
            out, err, rc = proc.stdout.decode(errors="replace"), proc.stderr.decode(
                errors="replace"), proc.returncode
        except subprocess.TimeoutExpired:
            out, err, rc = "", "no exit within %d s" % limit_s, -1
        with open(log_path, "w") as f:
            f.write("$ %s %s\n--- exit %s\n--- stdout\n%s--- stderr\n%s" % (
                script, " ".join(args), rc, out, err))
        log("%s %s: exit %s in %.1f s" % (self.name, step, rc, time.monotonic() - started))
        if rc != 0:
            self.failures.append("%s: %s exited %s; see %s" % (step, script, rc, log_path))
        return out

    def expect(self, step, ok, detail):
        if not ok:
            self.failures.append("%s: %s" % (step, detail))

    def run(self):
        self.broker.start()
        self.topics()
        self.topic_changes()
        self.produce_and_consume()
        self.groups()

    def topics(self):
        out = self.tool("topics-create", "kafka-topics", [
            "--create", "--topic", TOPIC, "--partitions", str(PARTITIONS),
            "--replication-factor", "1"])
        self.results["topics-create"] = {"output": out.strip()}
        self.expect("topics-create", out.strip() == "Created topic %s." % TOPIC, repr(out))
        out = self.tool("topics-list", "kafka-topics", ["--list", "--exclude-internal"])
        self.results["topics-list"] = {"topics": sorted(out.split())}
        self.expect("topics-list", TOPIC in out.split(), repr(out))
        summary, parts = self.describe_topic("topics-describe", TOPIC)
        nodes = {p.get(k) for p in parts for k in ("Leader", "Replicas", "Isr")}
        # Kafka 4 (KRaft with eligible leader replicas) sets min.insync.replicas
        # cluster-wide, so it shows as a non-default config of every topic;
        # Strata has one replica and no such setting.
        configs = ",".join(c for c in summary.get("Configs", "").strip().split(",")
                           if c and not c.startswith("min.insync.replicas="))
        # Elr and LastKnownElr come from DescribeTopicPartitions (KIP-966),
        # which Strata does not serve: the tool then prints N/A. Both mean
        # "none" on a single node (docs/kafka-protocol.md).
        def elr(key):
            return sorted({"none" if p.get(key) in ("", None, "N/A") else p.get(key)
                           for p in parts})
        self.results["topics-describe"] = {
            "topic": summary.get("Topic"), "partition_count": summary.get("PartitionCount"),
            "replication_factor": summary.get("ReplicationFactor"),
            "configs": configs,
            "partitions": [p.get("Partition") for p in parts],
            "leader=replicas=isr, one node": len(nodes) == 1,
            "elr": elr("Elr"), "last_known_elr": elr("LastKnownElr"),
        }
        self.expect("topics-describe", summary.get("PartitionCount") == str(PARTITIONS) and
                    len(parts) == PARTITIONS and len(nodes) == 1, repr((summary, parts)))

    def describe_topic(self, step, topic):
        """kafka-topics --describe: the summary and partition lines as fields."""
        out = self.tool(step, "kafka-topics", ["--describe", "--topic", topic])
        summary, parts = {}, []
        for line in out.splitlines():
            fields = dict(f.split(": ", 1) for f in line.strip().split("\t") if ": " in f)
            if "Partition" in fields:
                parts.append(fields)
            elif "PartitionCount" in fields:
                summary = fields
        return summary, parts

    def topic_changes(self):
        """A topic with configs, grown, then deleted."""
        other = TOPIC + "-compact"
        out = self.tool("topics-create-configs", "kafka-topics", [
            "--create", "--topic", other, "--partitions", "1", "--replication-factor", "1",
            "--config", "cleanup.policy=compact", "--config", "retention.ms=86400000"])
        self.expect("topics-create-configs", out.strip() == "Created topic %s." % other,
                    repr(out))
        summary, _ = self.describe_topic("describe-configs", other)
        configs = sorted(c for c in summary.get("Configs", "").strip().split(",")
                         if c and not c.startswith("min.insync.replicas="))
        self.results["describe-configs"] = {"configs": configs}
        self.expect("describe-configs",
                    configs == ["cleanup.policy=compact", "retention.ms=86400000"],
                    "Configs: %r" % summary.get("Configs"))
        self.tool("topics-alter", "kafka-topics", ["--alter", "--topic", other,
                                                   "--partitions", "2"])
        summary, parts = self.describe_topic("describe-altered", other)
        self.results["describe-altered"] = {
            "partition_count": summary.get("PartitionCount"),
            "partitions": [p.get("Partition") for p in parts]}
        self.expect("describe-altered", summary.get("PartitionCount") == "2", repr(summary))
        self.tool("topics-delete", "kafka-topics", ["--delete", "--topic", other])
        # Deletion is asynchronous on Kafka: list until it is gone (bounded).
        for _ in range(10):
            out = self.tool("topics-list-after-delete", "kafka-topics",
                            ["--list", "--exclude-internal"])
            if other not in out.split():
                break
        self.results["topics-list-after-delete"] = {"topics": sorted(out.split())}
        self.expect("topics-list-after-delete", other not in out.split(), repr(out))

    def consume(self, step, max_messages):
        out = self.tool(step, "kafka-console-consumer", [
            "--topic", TOPIC, "--group", GROUP, "--from-beginning",
            "--max-messages", str(max_messages), "--timeout-ms", "30000",
            "--command-property", "group.protocol=classic",
            "--formatter-property", "print.key=true",
            "--formatter-property", "print.partition=true",
            "--formatter-property", "print.offset=true"])
        # "Partition:1\tOffset:3\tk01\tv01" per record; sorted, so only the
        # set matters (partitions interleave differently run to run).
        return sorted(l for l in out.splitlines() if l.startswith("Partition:"))

    def produce_and_consume(self):
        self.tool("console-producer", "kafka-console-producer", [
            "--topic", TOPIC, "--property", "parse.key=true", "--property", "key.separator=:",
            "--producer-property", "acks=all"], stdin="\n".join(records_of(RECORDS)) + "\n")
        lines = self.consume("console-consumer", RECORDS)
        self.results["console-consumer"] = {"records": lines}
        values = sorted(":".join(l.split("\t")[-2:]) for l in lines)
        self.expect("console-consumer", values == records_of(RECORDS),
                    "read %d records, want %d keyed lines" % (len(lines), RECORDS))

    def describe(self, step):
        out = self.tool(step, "kafka-consumer-groups", ["--describe", "--group", GROUP])
        rows = sorted(table(out), key=lambda r: int(r.get("PARTITION", "-1")))
        fields = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                  "CONSUMER-ID", "HOST", "CLIENT-ID"]
        self.results[step] = {"rows": [[r.get(f) for f in fields] for r in rows],
                              "no active members": "has no active members" in out}
        return rows

    def reset(self, step, target_args, topic):
        out = self.tool(step, "kafka-consumer-groups", [
            "--reset-offsets", "--group", GROUP, "--topic", topic, "--execute"] + target_args)
        rows = sorted(table(out), key=lambda r: int(r.get("PARTITION", "-1")))
        self.results[step] = {"rows": [[r.get(f) for f in ("GROUP", "TOPIC", "PARTITION",
                                                           "NEW-OFFSET")] for r in rows]}
        return rows

    def groups(self):
        out = self.tool("groups-list", "kafka-consumer-groups", ["--list"])
        self.results["groups-list"] = {"groups": sorted(out.split())}
        self.expect("groups-list", GROUP in out.split(), repr(out))
        out = self.tool("groups-state", "kafka-consumer-groups",
                        ["--describe", "--group", GROUP, "--state"])
        rows = table(out)
        self.results["groups-state"] = {
            "rows": [[r.get("GROUP"), r.get("ASSIGNMENT-STRATEGY"), r.get("STATE"),
                      r.get("#MEMBERS")] for r in rows],
            "no active members": "has no active members" in out}
        rows = self.describe("groups-describe")
        self.expect("groups-describe", len(rows) == PARTITIONS and
                    sum(int(r["CURRENT-OFFSET"]) for r in rows) == RECORDS and
                    all(r["LAG"] == "0" for r in rows), "rows %s" % rows)
        rows = self.reset("reset-to-earliest", ["--to-earliest"], TOPIC)
        self.expect("reset-to-earliest", len(rows) == PARTITIONS and
                    all(r["NEW-OFFSET"] == "0" for r in rows), "rows %s" % rows)
        rows = self.describe("describe-after-earliest")
        self.expect("describe-after-earliest",
                    sum(int(r["LAG"]) for r in rows) == RECORDS, "rows %s" % rows)
        rows = self.reset("reset-to-offset", ["--to-offset", "2"], TOPIC + ":0")
        self.expect("reset-to-offset", [r["NEW-OFFSET"] for r in rows] == ["2"],
                    "rows %s" % rows)
        rows = self.reset("reset-shift-by", ["--shift-by", "-1"], TOPIC)
        self.describe("describe-after-shift")
        # From the committed offsets: partition 0 from 1, the others from 0.
        want = RECORDS - 1
        lines = self.consume("consume-after-reset", want)
        self.results["consume-after-reset"] = {"records": lines}
        self.expect("consume-after-reset", len(lines) == want,
                    "read %d records, want %d" % (len(lines), want))
        out = self.tool("reset-dry-run", "kafka-consumer-groups", [
            "--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-earliest",
            "--dry-run"])
        rows = sorted(table(out), key=lambda r: int(r.get("PARTITION", "-1")))
        self.results["reset-dry-run"] = {"rows": [[r.get("PARTITION"), r.get("NEW-OFFSET")]
                                                  for r in rows]}
        rows = self.describe("describe-after-dry-run")
        self.expect("describe-after-dry-run", all(r["LAG"] == "0" for r in rows),
                    "a dry run changed offsets: %s" % rows)
        out = self.tool("groups-delete", "kafka-consumer-groups", ["--delete", "--group", GROUP])
        self.results["groups-delete"] = {"output": out.strip()}
        self.expect("groups-delete", "Deletion of requested consumer groups" in out and
                    "successful" in out, repr(out))
        out = self.tool("groups-list-after-delete", "kafka-consumer-groups", ["--list"])
        self.results["groups-list-after-delete"] = {"groups": sorted(out.split())}
        self.expect("groups-list-after-delete", GROUP not in out.split(), repr(out))


def compare(kafka, strata):
    diffs = []
    for step, want in kafka.results.items():
        got = strata.results.get(step)
        if got is None:
            diffs.append("%s: Strata did not get this far" % step)
            continue
        for field, value in want.items():
            if got.get(field) != value:
                diffs.append("%s %s: Apache Kafka %r, Strata %r" % (
                    step, field, value, got.get(field)))
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker", required=True, help="strata-broker binary")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    opts = ap.parse_args()
    started = time.monotonic()
    if shutil.which("java") is None:
        print("FAIL system.kafka_cli: java not found (deploy/install-deps.sh jvm)")
        return 1
    proc = subprocess.run([os.path.join(JVM_DIR, "resolve.sh"), "tools"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        print("FAIL system.kafka_cli: tests/jvm/resolve.sh tools failed (exit %d)"
              % proc.returncode)
        return 1
    classpath = proc.stdout.strip()

    work = tempfile.mkdtemp(prefix="strata-kafka-cli.")
    runs = []
    for name in ("kafka", "strata"):
        bwork = os.path.join(work, name)
        os.makedirs(bwork)
        broker = (ReferenceBroker(bwork, KAFKA_CONFIG) if name == "kafka"
                  else Broker(opts.broker, bwork, STRATA_ARGS))
        steps = Steps("Apache Kafka" if name == "kafka" else "Strata", broker, classpath, bwork)
        runs.append(steps)
        t0 = time.monotonic()
        try:
            steps.run()
        except Exception as e:  # a broker that did not start, a driver bug
            import traceback
            traceback.print_exc()
            steps.failures.append("aborted: %s" % e)
        finally:
            why = broker.stop_checked()
            if why:
                steps.failures.append(why)
        log("%s: %s in %.0f s" % (steps.name, "pass" if not steps.failures else "FAIL",
                                  time.monotonic() - t0))

    kafka, strata = runs
    diffs = compare(kafka, strata)
    differing = {d.split(" ", 1)[0].rstrip(":") for d in diffs}
    print("%-26s %-14s %-14s %s" % ("step", "Apache Kafka", "Strata", "same fields"))
    for step in kafka.results:
        def state(run):
            return "FAIL" if any(f.startswith(step + ":") for f in run.failures) else (
                "ok" if step in run.results else "-")
        print("%-26s %-14s %-14s %s" % (step, state(kafka), state(strata),
                                       "DIFFER" if step in differing else "yes"))
    failed = False
    for run in runs:
        for f in run.failures:
            print("FAIL %s: %s" % (run.name, f))
            failed = True
    for d in diffs:
        print("FAIL the brokers differ: " + d)
        failed = True
    print("kafka-cli: %s in %.0f s" % ("FAIL" if failed else "pass", time.monotonic() - started))
    if opts.keep or failed:
        print("work dir (NN-step.log per tool run, broker logs, data): " + work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
