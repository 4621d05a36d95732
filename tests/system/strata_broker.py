"""The strata-broker child process of a system test.

Broker starts the real binary with its data in the caller's work dir and
ephemeral loopback ports (read back from its ready line), and stops it by
PID. It dies with the test process (PR_SET_PDEATHSIG), so a driver that
crashes leaves nothing running. ExternalBroker stands for a Kafka-protocol
broker the test did not start (Apache Kafka as the reference).
"""
import ctypes
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

_PR_SET_PDEATHSIG = 1
# First line of an AddressSanitizer, LeakSanitizer, UBSan or TSan report.
_SANITIZER_RE = re.compile(r"^.*(ERROR: (Address|Leak|Thread|Memory)Sanitizer|"
                           r"WARNING: ThreadSanitizer|runtime error:|SUMMARY: \w+Sanitizer).*$",
                           re.M)


def log(msg):
    sys.stderr.write("[strata-broker %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def _die_with_parent():
    """preexec_fn: the child gets SIGKILL when the process that started it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Broker:
    """The strata-broker child: started with ephemeral ports, its addresses
    taken from the ready line, stopped by PID."""

    def __init__(self, binary, work, extra_args=()):
        self.binary, self.work = binary, work
        self.extra_args = list(extra_args)
        self.data_dir = os.path.join(work, "data")
        self.proc = None
        self.native = self.kafka = None

    def start(self, timeout_s=30):
        self.out = open(os.path.join(self.work, "broker.stdout"), "wb")
        self.err = open(os.path.join(self.work, "broker.stderr"), "wb")
        args = [self.binary, "--data-dir", self.data_dir, "--listen", "127.0.0.1:0",
                "--http-listen", "127.0.0.1:0", "--kafka-listen", "127.0.0.1:0"] + self.extra_args
        log("starting " + " ".join(args))
        # Started from the calling thread: PDEATHSIG fires when that thread ends,
        # so call start() from the thread that lives as long as the test.
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.err,
                                     preexec_fn=_die_with_parent)
        deadline = common.Deadline(timeout_s)
        buf = b""
        while b"\n" not in buf:
            if deadline.passed():
                raise RuntimeError("no ready line within %d s" % timeout_s)
            ready, _, _ = select.select([self.proc.stdout], [], [], deadline.left())
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("strata-broker exited before its ready line (status %s): %s"
                                   % (self.proc.wait(), self.stderr_tail()))
            buf += chunk
        line = buf.split(b"\n")[0].decode()
        self.out.write(buf)
        self.out.flush()
        threading.Thread(target=self._drain, daemon=True).start()
        fields = dict(f.split("=", 1) for f in line.split()[2:] if "=" in f)
        self.native, self.kafka = fields.get("native"), fields.get("kafka")
        if not line.startswith("strata-broker ready ") or not self.native:
            raise RuntimeError("unexpected ready line: " + line)
        if not self.kafka:
            raise RuntimeError("the ready line names no kafka= address (no Kafka listener): "
                               + line)
        log("broker pid %d ready: native=%s kafka=%s" % (self.proc.pid, self.native, self.kafka))

    def _drain(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                return
            self.out.write(chunk)
            self.out.flush()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr_tail(self, n=20):
        try:
            with open(os.path.join(self.work, "broker.stderr"), "rb") as f:
                return b"".join(f.readlines()[-n:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, then SIGKILL after 15 s; returns the exit status (None
        when it was never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        log("broker pid %d exited with %s" % (self.proc.pid, self.proc.returncode))
        return self.proc.returncode

    def sanitizer_report(self):
        """The first line of a sanitizer report in the broker's stderr, or ''."""
        try:
            with open(os.path.join(self.work, "broker.stderr"), "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        m = _SANITIZER_RE.search(text)
        return m.group(0).strip() if m else ""

    def stop_checked(self, tail_lines=40):
        """stop(), then '' when the broker exited with status 0 and its stderr
        holds no sanitizer report; otherwise why not, with its stderr tail.
        In CI the broker is an ASan/UBSan build (abort_on_error): a non-zero
        exit after SIGTERM is a sanitizer report or an unclean stop, and
        fails the test."""
        status = self.stop()
        if status is None:
            return ""
        report = self.sanitizer_report()
        if status == 0 and not report:
            return ""
        if status < 0:
            what = "was killed by signal %d" % -status
        else:
            what = "exited with status %d" % status
        if report:
            what += "; its stderr has a sanitizer report (%s)" % report
        return "strata-broker %s after SIGTERM; %s ends:\n    %s" % (
            what, os.path.join(self.work, "broker.stderr"),
            self.stderr_tail(tail_lines).rstrip("\n").replace("\n", "\n    "))


class ExternalBroker:
    """A Kafka-protocol broker the suite did not start (--kafka-bootstrap):
    Apache Kafka as the reference when a client behaves unexpectedly. No
    native API: topics are created with confluent-kafka's admin client and
    the native row is not run."""

    def __init__(self, bootstrap, data_dir):
        self.kafka, self.data_dir, self.native = bootstrap, data_dir, None

    def start(self):
        log("using the broker at %s (data dir %s)" % (self.kafka, self.data_dir))

    def alive(self):
        return True

    def stop(self):
        return None

    def stop_checked(self):
        return ""
