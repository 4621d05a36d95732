#!/usr/bin/env python3
"""Apache Kafka itself, as the reference broker of a test or benchmark run.

KafkaBroker runs a single-node KRaft Apache Kafka (the version pinned in
tests/jvm/pom.xml, resolved by tests/jvm/resolve.sh into a cache outside the
repository) on loopback ports chosen here, with its logs and data in the
caller's work dir. It is stopped by PID and dies with the process that
started it (PR_SET_PDEATHSIG), like strata_broker.Broker.

As a command it runs the broker in the foreground for shell scripts:

    python3 tests/system/kafka_reference.py --dir DIR [--config KEY=VALUE]...

prints "kafka-reference ready bootstrap=127.0.0.1:PORT" on stdout once a
client can connect, and stops the broker on SIGTERM or SIGINT.
"""
import argparse
import base64
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
RESOLVE = os.path.join(os.path.dirname(HERE), "jvm", "resolve.sh")
_PR_SET_PDEATHSIG = 1


def log(msg):
    sys.stderr.write("[kafka-reference %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def _die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _free_port():
    """A loopback port free right now. Kafka needs its ports in its config
    (the advertised listener), so it cannot report an ephemeral one back."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _can_connect(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def resolve_classpath():
    """kafka_2.13 and kafka-server with their dependencies; None when Maven
    Central cannot be reached and the cache lacks them (resolve.sh exit 3)."""
    res = subprocess.run([RESOLVE, "server"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    if res.returncode != 0:
        log("resolve.sh server failed (exit %d): %s" % (res.returncode, res.stderr.strip()))
        return None
    return res.stdout.strip()


class KafkaBroker:
    """One KRaft node (broker and controller) with Kafka's shipped defaults,
    except what a single node needs (replication factors 1) and what the
    caller adds in `config`."""

    def __init__(self, work, classpath, config=None):
        self.work, self.classpath = work, classpath
        self.config = dict(config or {})
        self.proc = None
        self.port = None

    @property
    def bootstrap(self):
        return "127.0.0.1:%d" % self.port

    def _write_config(self):
        self.port, controller = _free_port(), _free_port()
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": "127.0.0.1:%d" % controller,
            "listeners": "PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d"
                         % (self.port, controller),
            "advertised.listeners": "PLAINTEXT://127.0.0.1:%d" % self.port,
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": os.path.join(self.work, "kafka-logs"),
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
        }
        settings.update(self.config)
        path = os.path.join(self.work, "server.properties")
        with open(path, "w") as f:
            for key, value in settings.items():
                f.write("%s=%s\n" % (key, value))
        return path

    def _java(self, main, *args, **popen):
        cmd = ["java", "-Xms512m", "-Xmx1g", "-cp", self.classpath, main] + list(args)
        return subprocess.Popen(cmd, preexec_fn=_die_with_parent, **popen)

    def start(self, timeout_s=90):
        os.makedirs(self.work, exist_ok=True)
        config = self._write_config()
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        with open(os.path.join(self.work, "format.log"), "wb") as out:
            fmt = self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", config,
                             "--standalone", stdout=out, stderr=subprocess.STDOUT)
            if fmt.wait(timeout=120) != 0:
                raise RuntimeError("kafka StorageTool format failed: see %s" % out.name)
        self.log_file = open(os.path.join(self.work, "kafka.log"), "wb")
        log("starting Apache Kafka on %s (work dir %s)" % (self.bootstrap, self.work))
        self.proc = self._java("kafka.Kafka", config, stdout=self.log_file,
                               stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while not _can_connect(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError("Apache Kafka exited (status %d) before it listened: %s"
                                   % (self.proc.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Apache Kafka did not listen within %d s" % timeout_s)
            time.sleep(0.2)
        log("Apache Kafka pid %d listens on %s" % (self.proc.pid, self.bootstrap))

    def log_tail(self, lines=20):
        try:
            with open(os.path.join(self.work, "kafka.log"), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout_s=30):
        """SIGTERM (Kafka's controlled shutdown), SIGKILL after timeout_s.
        Returns the exit status, or None when it was not running."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            log("Apache Kafka pid %d ignored SIGTERM for %d s: SIGKILL" % (self.proc.pid, timeout_s))
            self.proc.kill()
            return self.proc.wait()


class ReferenceBroker:
    """KafkaBroker behind the interface the system drivers give a broker
    (strata_broker.Broker): kafka, data_dir, native (None: no native API),
    start, alive, stop_checked."""

    def __init__(self, work, config=None):
        self.work = os.path.join(work, "apache-kafka")
        self.config = config
        self.kafka = self.broker = self.proc = None
        self.data_dir = os.path.join(self.work, "kafka-logs")
        self.native = None

    def start(self):
        classpath = resolve_classpath()
        if classpath is None:
            raise RuntimeError("Apache Kafka's jars cannot be resolved (tests/jvm/resolve.sh)")
        self.broker = KafkaBroker(self.work, classpath, self.config)
        self.broker.start()
        self.kafka, self.proc = self.broker.bootstrap, self.broker.proc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr_tail(self, lines=20):
        return self.broker.log_tail(lines) if self.broker else ""

    def stop_checked(self):
        """'' after a clean stop; else why not. Kafka exits 143 on SIGTERM
        from its JVM shutdown hook, which is its clean stop."""
        if self.broker is None:
            return ""
        status = self.broker.stop()
        if status in (None, 0, 143):
            return ""
        return "Apache Kafka exited with status %s; kafka.log ends:\n    %s" % (
            status, self.stderr_tail().rstrip("\n").replace("\n", "\n    "))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, help="work dir: config, data and kafka.log")
    ap.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                    help="a broker setting beside the single-node defaults (repeatable)")
    opts = ap.parse_args()
    config = dict(kv.split("=", 1) for kv in opts.config)
    classpath = resolve_classpath()
    if classpath is None:
        return 1
    broker = KafkaBroker(opts.dir, classpath, config)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    try:
        broker.start()
    except RuntimeError as e:
        log(str(e))
        return 1
    print("kafka-reference ready bootstrap=%s" % broker.bootstrap, flush=True)
    while not stopping and broker.proc.poll() is None:
        time.sleep(0.2)
    if broker.proc.poll() is not None and not stopping:
        log("Apache Kafka exited on its own (status %d): %s"
            % (broker.proc.returncode, broker.log_tail()))
        return 1
    status = broker.stop()
    return 0 if status in (0, 143) else 1


if __name__ == "__main__":
    sys.exit(main())
