#!/usr/bin/python3
"""SASL on the Kafka port with real clients (issue 16, first part).

Starts strata-broker with --kafka-security-protocol SASL_PLAINTEXT and the
mechanisms SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN (with the insecure setting
PLAIN needs on plaintext), creates a user with `strata user create
--password-env`, then for kcat, confluent-kafka-python, kafka-python and
kafkajs x each mechanism: produce COUNT records (acks=all) and read them back
in a consumer group. Then the failures, each with its exact error and
nothing changed: wrong password, unknown user, a mechanism the broker does
not enable (a second broker with SCRAM-SHA-512 only), and a client that
skips authentication. Finally the data directory and the broker's logs must
not contain the password. Prints a matrix; exits 1 when a cell failed.

Run with /usr/bin/python3 (Debian's confluent_kafka and kafka modules).
kafkajs comes from $STRATA_KAFKA_CLIENTS_DIR/node_modules (default
~/.cache/strata/kafka-clients).
"""
import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from strata_broker import Broker, log  # noqa: E402

USER = "alice"
PASSWORD = "c0rrect-h0rse-Battery-staple"
MECHANISMS = ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"]
CLIENTS = ["kcat", "confluent-kafka-python", "kafka-python", "kafkajs", "java"]
GENERIC_FAILURE = "Authentication failed: invalid credentials"
STEP_TIMEOUT_S = 120


class Env:
    def __init__(self, opts, work):
        self.opts, self.work = opts, work
        node_path = os.path.join(opts.clients_dir, "node_modules")
        self.env = dict(os.environ, NODE_PATH=node_path, KAFKAJS_NO_PARTITIONER_WARNING="1")

    def run(self, argv, stdin=None, env=None):
        """Runs a child to completion (bounded); returns (rc, stdout, stderr)."""
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env or self.env)
        try:
            out, err = p.communicate(stdin, timeout=STEP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            p.kill()  # our own child, by PID
            out, err = p.communicate()
            return -1, out.decode(errors="replace"), err.decode(errors="replace") + " (timeout)"
        return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def cli(self, broker, *args, env=None):
        return self.run([self.opts.cli, "--broker", broker.native] + list(args), env=env)


def librdkafka_conf(broker, mechanism, user, password):
    return {"bootstrap.servers": broker.kafka, "security.protocol": "sasl_plaintext",
            "sasl.mechanisms": mechanism, "sasl.username": user, "sasl.password": password}


# -- one produce + group read per client ------------------------------------

def with_kcat(env, broker, mechanism, topic, group, count, user=USER, password=PASSWORD):
    # The password goes in a -F file, not on argv.
    conf = os.path.join(env.work, "kcat-%s.conf" % topic)
    with open(conf, "w") as f:
        for k, v in librdkafka_conf(broker, mechanism, user, password).items():
            f.write("%s=%s\n" % (k, v))
    lines = "".join("k-%d:v-%d\n" % (i, i) for i in range(count)).encode()
    rc, _, err = env.run(["kcat", "-F", conf, "-P", "-t", topic, "-K", ":", "-X", "acks=all"],
                         stdin=lines)
    if rc != 0:
        return False, "produce rc=%d %s" % (rc, err.strip()[-300:])
    rc, out, err = env.run(["kcat", "-F", conf, "-G", group, "-c", str(count), "-f", "%k\n",
                            "-X", "auto.offset.reset=earliest", topic])
    keys = set(out.split())
    return rc == 0 and len(keys) == count, "read %d/%d rc=%d" % (len(keys), count, rc)


def with_confluent(env, broker, mechanism, topic, group, count, user=USER, password=PASSWORD):
    from confluent_kafka import Consumer, Producer
    errors = []
    conf = librdkafka_conf(broker, mechanism, user, password)
    producer = Producer(dict(conf, acks="all", error_cb=lambda e: errors.append(str(e))))
    delivered = []
    for i in range(count):
        producer.produce(topic, key="k-%d" % i, value="v-%d" % i,
                         on_delivery=lambda e, m: delivered.append(e))
    producer.flush(30)
    if errors or len(delivered) != count or any(delivered):
        return False, "produce: %s" % (errors[:1] or delivered[:1])
    consumer = Consumer(dict(conf, **{"group.id": group, "auto.offset.reset": "earliest"}))
    consumer.subscribe([topic])
    keys, deadline = set(), time.time() + 60
    while len(keys) < count and time.time() < deadline:
        m = consumer.poll(0.5)
        if m is not None and m.error() is None:
            keys.add(m.key())
    consumer.close()
    return len(keys) == count, "read %d/%d" % (len(keys), count)


def with_kafka_python(env, broker, mechanism, topic, group, count, user=USER, password=PASSWORD):
    from kafka import KafkaConsumer, KafkaProducer
    sasl = dict(bootstrap_servers=broker.kafka, security_protocol="SASL_PLAINTEXT",
                sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
    producer = KafkaProducer(acks="all", **sasl)
    futures = [producer.send(topic, key=b"k-%d" % i, value=b"v-%d" % i) for i in range(count)]
    producer.flush(30)
    for f in futures:
        f.get(timeout=10)
    producer.close()
    consumer = KafkaConsumer(topic, group_id=group, auto_offset_reset="earliest",
                             consumer_timeout_ms=2000, **sasl)
    keys, deadline = set(), time.time() + 60
    while len(keys) < count and time.time() < deadline:
        for m in consumer:
            keys.add(m.key)
    consumer.close()
    return len(keys) == count, "read %d/%d" % (len(keys), count)


def with_kafkajs(env, broker, mechanism, topic, group, count, user=USER, password=PASSWORD,
                 expect_failure=False):
    args = dict(bootstrap=broker.kafka, mechanism=mechanism, user=user, password=password,
                topic=topic, group=group, count=count, expect_failure=expect_failure)
    rc, out, err = env.run(["node", os.path.join(HERE, "worker_kafkajs_sasl.js"), json.dumps(args)])
    try:
        result = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False, "rc=%d no result: %s" % (rc, err.strip()[-300:])
    return result.get("ok", False), result.get("error") or "read %s/%d" % (result.get("received"), count)


def with_java(env, broker, mechanism, topic, group, count, user=USER, password=PASSWORD):
    """tests/jvm/SaslWorker.java; the password through the environment."""
    if env.java_classpath is None:
        return False, env.java_error
    rc, out, err = env.run(["java", "-cp", env.java_classpath, "SaslWorker", broker.kafka,
                            mechanism, user, topic, group, str(count)],
                           env=dict(env.env, STRATA_TEST_PASSWORD=password))
    line = (out.strip().splitlines() or ["no output: " + err.strip()[-300:]])[-1]
    return rc == 0 and line.startswith("ok"), line


def prepare_java(env, classes):
    """Resolves kafka-clients and compiles SaslWorker.java into `classes`."""
    env.java_classpath, env.java_error = None, ""
    jvm = os.path.join(HERE, "..", "jvm")
    rc, out, err = env.run([os.path.join(jvm, "resolve.sh"), "clients"])
    if rc != 0:
        env.java_error = "tests/jvm/resolve.sh clients failed (exit %d): %s" % (rc, err[-200:])
        return
    clients = out.strip().splitlines()[-1]
    os.makedirs(classes, exist_ok=True)
    rc, _, err = env.run(["javac", "-Xlint:all", "-Werror", "--release", "17", "-cp", clients,
                          "-d", classes, os.path.join(jvm, "SaslWorker.java")])
    if rc != 0:
        env.java_error = "javac failed: " + err[-300:]
        return
    env.java_classpath = classes + os.pathsep + clients


RUNNERS = {"kcat": with_kcat, "confluent-kafka-python": with_confluent,
           "kafka-python": with_kafka_python, "kafkajs": with_kafkajs,
           "java": with_java}


def create_topic(env, broker, topic):
    rc, _, err = env.cli(broker, "topic", "create", topic, "--partitions", "3")
    if rc != 0:
        raise RuntimeError("strata topic create %s: %s" % (topic, err))


def end_offsets(env, broker, topic):
    """The sum of the topic's log end offsets, read through the native API."""
    rc, out, err = env.cli(broker, "-o", "json", "topic", "describe", topic)
    if rc != 0:
        raise RuntimeError("strata topic describe %s: %s" % (topic, err))
    return sum(p["log_end_offset"] for p in json.loads(out)["partitions"])


# -- failures: each must fail with its own error and write nothing ----------

def fail_confluent(broker, mechanism, user, password):
    """The first error librdkafka reports for a produce attempt."""
    from confluent_kafka import Producer
    errors = []
    producer = Producer(dict(librdkafka_conf(broker, mechanism, user, password),
                             **{"error_cb": lambda e: errors.append(e), "message.timeout.ms": 5000}))
    producer.produce("neg", key="k", value="v")
    deadline = time.time() + 20
    while not errors and time.time() < deadline:
        producer.poll(0.2)
    producer.purge()
    producer.flush(1)
    return str(errors[0]) if errors else "no error"


class _Captured(logging.Handler):
    """kafka-python logs the broker's SASL answer before it gives up."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def fail_kafka_python(broker, mechanism, user, password):
    """The exception, plus what kafka-python logged about the SASL error (it
    reports a refused mechanism only in its log, then NoBrokersAvailable)."""
    captured = _Captured()
    logging.getLogger("kafka").addHandler(captured)
    logging.getLogger("kafka").setLevel(logging.INFO)
    try:
        return _fail_kafka_python(broker, mechanism, user, password) + "".join(
            " | " + line for line in captured.lines if "Sasl" in line or "SASL" in line)[:400]
    finally:
        logging.getLogger("kafka").removeHandler(captured)


def _fail_kafka_python(broker, mechanism, user, password):
    from kafka import KafkaProducer
    try:
        producer = KafkaProducer(bootstrap_servers=broker.kafka, security_protocol="SASL_PLAINTEXT",
                                 sasl_mechanism=mechanism, sasl_plain_username=user,
                                 sasl_plain_password=password, max_block_ms=5000)
        producer.send("neg", b"v").get(timeout=5)
        producer.close()
        return "no error"
    except Exception as e:  # the type is the answer
        return type(e).__name__ + ": " + str(e)


def fail_kcat(env, broker, mechanism, user, password, protocol="sasl_plaintext"):
    conf = os.path.join(env.work, "kcat-fail.conf")
    with open(conf, "w") as f:
        for k, v in librdkafka_conf(broker, mechanism, user, password).items():
            f.write("%s=%s\n" % (k, v))
        f.write("security.protocol=%s\n" % protocol)
    rc, out, err = env.run(["kcat", "-F", conf, "-L", "-m", "5"])
    return "rc=%d %s" % (rc, err.strip().replace("\n", " | ")[-400:])


class Matrix:
    def __init__(self):
        self.rows, self.failed = [], False

    def add(self, client, scenario, ok, detail):
        self.rows.append((client, scenario, "ok" if ok else "FAIL", detail))
        self.failed = self.failed or not ok
        log("%-22s %-28s %s  %s" % (client, scenario, "ok" if ok else "FAIL", detail))

    def print(self):
        print("\n%-22s %-28s %-5s %s" % ("client", "scenario", "", "detail"))
        for row in self.rows:
            print("%-22s %-28s %-5s %s" % row)


def check_failures(env, broker, matrix):
    create_topic(env, broker, "neg")
    for client, attempt in [
            ("confluent-kafka-python", lambda m, u, p: fail_confluent(broker, m, u, p)),
            ("kcat", lambda m, u, p: fail_kcat(env, broker, m, u, p))]:
        for scenario, user, password in [("wrong-password", USER, "wrong-" + PASSWORD),
                                         ("unknown-user", "mallory", PASSWORD)]:
            for mechanism in ["SCRAM-SHA-256", "PLAIN"]:
                error = attempt(mechanism, user, password)
                matrix.add(client, "%s %s" % (scenario, mechanism), GENERIC_FAILURE in error,
                           error)
    for scenario, user, password in [("wrong-password", USER, "wrong-" + PASSWORD),
                                     ("unknown-user", "mallory", PASSWORD)]:
        # SaslHandshake v0: a failure is a closed connection, no error code.
        error = fail_kafka_python(broker, "SCRAM-SHA-512", user, password)
        matrix.add("kafka-python", scenario + " SCRAM-SHA-512", error != "no error", error)
        ok, detail = with_kafkajs(env, broker, "SCRAM-SHA-256", "neg", "g-neg", 1, user=user,
                                  password=password, expect_failure=True)
        matrix.add("kafkajs", scenario + " SCRAM-SHA-256",
                   not ok and GENERIC_FAILURE in detail, detail)
        ok, detail = with_java(env, broker, "SCRAM-SHA-512", "neg", "g-neg", 1, user=user,
                               password=password)
        matrix.add("java", scenario + " SCRAM-SHA-512",
                   not ok and "SaslAuthenticationException: " + GENERIC_FAILURE in detail, detail)
    # No authentication at all: ApiVersions is answered, Metadata closes.
    error = fail_kcat(env, broker, "PLAIN", USER, PASSWORD, protocol="plaintext")
    matrix.add("kcat", "no-sasl (PLAINTEXT client)", not error.startswith("rc=0"), error)
    written = end_offsets(env, broker, "neg")
    matrix.add("strata", "failures wrote nothing", written == 0, "log end offsets sum %d" % written)


def check_unsupported_mechanism(env, opts, work, matrix):
    broker = Broker(opts.broker, os.path.join(work, "scram512"),
                    ["--kafka-security-protocol", "SASL_PLAINTEXT",
                     "--kafka-sasl-mechanisms", "SCRAM-SHA-512"])
    os.makedirs(broker.work)
    broker.start()
    try:
        error = fail_confluent(broker, "SCRAM-SHA-256", USER, PASSWORD)
        matrix.add("confluent-kafka-python", "unsupported-mechanism",
                   "Unsupported SASL mechanism" in error and "SCRAM-SHA-512" in error, error)
        error = fail_kafka_python(broker, "SCRAM-SHA-256", USER, PASSWORD)
        matrix.add("kafka-python", "unsupported-mechanism",
                   "UnsupportedSaslMechanismError" in error, error)
    finally:
        problems = broker.stop_checked()
        matrix.add("strata", "scram512 broker clean stop", not problems, problems or "exit 0")


def check_plain_refused(opts, work, matrix):
    rc = subprocess.run([opts.broker, "--data-dir", os.path.join(work, "plain-refused"),
                         "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                         "--kafka-listen", "127.0.0.1:0", "--kafka-security-protocol",
                         "SASL_PLAINTEXT", "--kafka-sasl-mechanisms", "PLAIN"],
                        capture_output=True, timeout=60)
    err = rc.stderr.decode(errors="replace").strip()
    matrix.add("strata", "PLAIN without insecure flag", rc.returncode == 2 and
               "PLAIN on SASL_PLAINTEXT" in err, "exit %d: %s" % (rc.returncode, err[-160:]))


def sweep_for_password(broker, matrix):
    """No file of the data directory and no broker log holds a password."""
    needles = [PASSWORD.encode(), ("wrong-" + PASSWORD).encode()]
    hits = []
    for root, _, files in os.walk(broker.work):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            hits += [path for n in needles if n in data]
    matrix.add("strata", "no password on disk or in logs", not hits, ", ".join(hits) or "none found")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--broker", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--java-classes", default=None,
                    help="where javac puts SaslWorker (default: the work dir)")
    ap.add_argument("--clients-dir", default=os.environ.get(
        "STRATA_KAFKA_CLIENTS_DIR", os.path.expanduser("~/.cache/strata/kafka-clients")))
    opts = ap.parse_args()
    matrix = Matrix()
    with tempfile.TemporaryDirectory(prefix="strata-sasl-") as work:
        env = Env(opts, work)
        prepare_java(env, opts.java_classes or os.path.join(work, "jvm-classes"))
        broker = Broker(opts.broker, os.path.join(work, "main"),
                        ["--kafka-security-protocol", "SASL_PLAINTEXT",
                         "--kafka-sasl-mechanisms", ",".join(MECHANISMS),
                         "--kafka-sasl-allow-insecure-plain", "--log-level", "debug",
                         "--group-initial-rebalance-delay-ms", "0"])
        os.makedirs(broker.work)
        broker.start()
        try:
            rc, out, err = env.cli(broker, "user", "create", USER, "--password-env",
                                   "STRATA_TEST_PASSWORD",
                                   env=dict(env.env, STRATA_TEST_PASSWORD=PASSWORD))
            matrix.add("strata", "user create", rc == 0, (out + err).strip())
            rc, out, _ = env.cli(broker, "-o", "json", "user", "list")
            matrix.add("strata", "user list", rc == 0 and json.loads(out) == [
                {"name": USER, "mechanisms": ["SCRAM-SHA-256", "SCRAM-SHA-512"]}], out.strip())
            for client in CLIENTS:
                for mechanism in MECHANISMS:
                    topic = "t-%s-%s" % (client, mechanism.lower())
                    create_topic(env, broker, topic)
                    try:
                        ok, detail = RUNNERS[client](env, broker, mechanism, topic, "g-" + topic,
                                                     opts.count)
                    except Exception as e:  # a client error fails its cell
                        ok, detail = False, type(e).__name__ + ": " + str(e)
                    matrix.add(client, "produce+group " + mechanism, ok, detail)
            check_failures(env, broker, matrix)
        finally:
            problems = broker.stop_checked()
            matrix.add("strata", "broker clean stop", not problems, problems or "exit 0")
        sweep_for_password(broker, matrix)
        check_unsupported_mechanism(env, opts, work, matrix)
        check_plain_refused(opts, work, matrix)
    matrix.print()
    return 1 if matrix.failed else 0


if __name__ == "__main__":
    sys.exit(main())
