"""Shared helpers for the compatibility workers and the driver.

Each worker (one per client) runs one operation per process, given as
`OP JSON-ARGS` on the command line, and prints exactly one JSON object on
stdout as its last line: {"ok": true, ...} or {"ok": false, "error": "..."}.
Client logs go to stderr, which the driver keeps in a per-step log file.
"""
import json
import threading
import sys
import time

VALUE_PAD = 64


def key_of(i):
    return "k-%06d" % i


def value_of(i):
    return "value-%06d-" % i + "x" * VALUE_PAD


def index_of(key):
    return int(key.split("-")[1])


def write_lines(path, lines):
    """Writes one line per item of `lines` to path (worker results too big
    for the JSON result line)."""
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")


class Deadline:
    """A wall-clock bound for one wait loop."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return max(0.0, self.end - time.monotonic())

    def passed(self):
        return time.monotonic() >= self.end


def emit(result):
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def run_worker(ops):
    """Dispatches argv[1] to ops[name](args) and prints its result."""
    if len(sys.argv) != 3 or sys.argv[1] not in ops:
        emit({"ok": False, "error": "usage: %s {%s} JSON" % (sys.argv[0], "|".join(ops))})
        sys.exit(2)
    args = json.loads(sys.argv[2])
    try:
        result = ops[sys.argv[1]](args)
    except Exception as e:  # report any client exception as a failed step
        import traceback
        traceback.print_exc()
        emit({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
        sys.exit(1)
    result.setdefault("ok", True)
    emit(result)
    sys.exit(0 if result["ok"] else 1)


def log_tail(path, n=15):
    """The first line of a worker's log (its command) and its last n lines."""
    try:
        with open(path, "rb") as f:
            lines = f.read().decode(errors="replace").splitlines()
    except OSError:
        return ""
    keep = lines[:1] + (["..."] if len(lines) > n + 1 else []) + lines[1:][-n:]
    return "\n    ".join(keep)


def worker_result(rc, out, log_path, timeout_s):
    """A worker's JSON result from its output (the last line that parses) and
    its exit status rc (None: timed out). Not ok, with the log's tail in
    "error", when it timed out, printed no result, or exited non-zero even
    after a result line that said ok."""
    result = None
    for line in reversed(out.splitlines()):
        try:
            result = json.loads(line)
            break
        except ValueError:
            continue
    if rc is None:
        result = {"ok": False, "error": "timed out after %d s" % timeout_s}
    elif result is None:
        result = {"ok": False, "error": "exit %s and no result line" % rc}
    elif rc != 0 and result.get("ok"):
        result = {"ok": False, "error": "exit %s after a result line that said ok" % rc}
    if not result.get("ok"):
        result["error"] = "%s\n    log %s:\n    %s" % (result.get("error"), log_path,
                                                   log_tail(log_path))
    return result


def check_value(key, value):
    """True when a consumed record's value is the one produced for its key."""
    try:
        return value == value_of(index_of(key))
    except (ValueError, IndexError):
        return False


def consume_scenario(adapter, args):
    """One group member: read up to args["max"] records (or, with max 0,
    until args["quiet_s"] pass with an assignment and no record), commit
    exactly the records kept, synchronously, then close (leave the group).

    adapter: open(group, topics, on_assignment) -> consumer,
    poll(consumer, timeout_s) -> [(topic, partition, offset, key, value)],
    commit(consumer, {(topic, partition): next_offset}), close(consumer).
    """
    state = {"assignment": set(), "assigned_at": None}

    def on_assignment(parts):
        state["assignment"] = set(parts)
        state["assigned_at"] = time.monotonic() if parts else None

    deadline = Deadline(args.get("timeout_s", 60))
    maximum = args.get("max", 0)
    quiet_s = args.get("quiet_s", 2.0)
    c = adapter.open(args["group"], args["topics"], on_assignment)
    records, bad_values = [], 0
    last_record = None
    timed_out = False
    try:
        while True:
            if maximum and len(records) >= maximum:
                break
            if deadline.passed():
                timed_out = True
                break
            for (topic, partition, offset, key, value) in adapter.poll(c, 0.2):
                if maximum and len(records) >= maximum:
                    break  # never committed: the next member reads it
                records.append([topic, partition, offset, key])
                if not check_value(key, value):
                    bad_values += 1
                last_record = time.monotonic()
            if not maximum and state["assigned_at"] is not None:
                since = max(state["assigned_at"], last_record or 0)
                if time.monotonic() - since >= quiet_s:
                    break
        offsets = {}
        for topic, partition, offset, _ in records:
            offsets[(topic, partition)] = max(offsets.get((topic, partition), 0), offset + 1)
        if offsets:
            adapter.commit(c, offsets)
    finally:
        adapter.close(c)
    return {"records": records, "bad_values": bad_values, "timed_out": timed_out,
            "assignment": sorted(list(p) for p in state["assignment"])}


class _Member(threading.Thread):
    """One consumer of the split scenario, on its own thread: polls, keeps
    what it reads, commits synchronously after every non-empty poll, and
    leaves the group (close) when told to stop."""

    def __init__(self, name, adapter, group, topic, deadline):
        super().__init__(name=name, daemon=True)
        self.adapter, self.group, self.topic, self.deadline = adapter, group, topic, deadline
        self.lock = threading.Lock()
        self.assignment = set()
        self.records = []
        self.bad_values = 0
        self.error = None
        self.stop_flag = threading.Event()
        self.closed = threading.Event()

    def _on_assignment(self, parts):
        with self.lock:
            self.assignment = set(p for (_, p) in parts)

    def run(self):
        c = None
        try:
            c = self.adapter.open(self.group, [self.topic], self._on_assignment)
            while not self.stop_flag.is_set() and not self.deadline.passed():
                batch = self.adapter.poll(c, 0.2)
                offsets = {}
                with self.lock:
                    for (topic, partition, offset, key, value) in batch:
                        self.records.append([topic, partition, offset, key])
                        if not check_value(key, value):
                            self.bad_values += 1
                        offsets[(topic, partition)] = offset + 1
                if offsets:
                    self.adapter.commit(c, offsets)
        except Exception as e:  # reported by the orchestrating thread
            import traceback
            traceback.print_exc()
            self.error = "%s: %s" % (type(e).__name__, e)
        finally:
            if c is not None:
                try:
                    self.adapter.close(c)
                except Exception as e:
                    self.error = self.error or "close: %s: %s" % (type(e).__name__, e)
            self.closed.set()

    def snapshot(self):
        with self.lock:
            return set(self.assignment), len(self.records)


def _wait(cond, deadline, what):
    while not cond():
        if deadline.passed():
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(0.05)


def split_scenario(adapter, produce, args):
    """Two members A and B of one group on a topic of P partitions: wait until
    they split the partitions, produce n1 records and let both read and commit
    them; B leaves; wait until A holds all P; produce n2 more; A must read all
    of those and nothing B had committed.  produce(start, count) -> None."""
    deadline = Deadline(args.get("timeout_s", 90))
    topic, group, parts = args["topic"], args["group"], args["partitions"]
    n1, n2 = args["n1"], args["n2"]
    a = _Member("A", adapter, group, topic, deadline)
    b = _Member("B", adapter, group, topic, deadline)
    result = {"ok": False}
    try:
        a.start()
        _wait(lambda: len(a.snapshot()[0]) == parts, deadline, "A to hold every partition alone")
        b.start()

        def split():
            sa, sb = a.snapshot()[0], b.snapshot()[0]
            return sa and sb and not (sa & sb) and len(sa | sb) == parts
        _wait(lambda: split() or a.error or b.error, deadline, "A and B to split the partitions")
        result["split"] = [sorted(a.snapshot()[0]), sorted(b.snapshot()[0])]
        produce(0, n1)
        _wait(lambda: a.snapshot()[1] + b.snapshot()[1] >= n1 or a.error or b.error, deadline,
              "A and B to read the first %d records" % n1)
        b.stop_flag.set()
        _wait(lambda: b.closed.is_set(), deadline, "B to leave")
        _wait(lambda: len(a.snapshot()[0]) == parts or a.error, deadline,
              "A to take every partition after B left")
        result["a_after_leave"] = sorted(a.snapshot()[0])
        produce(n1, n2)
        _wait(lambda: a.snapshot()[1] + b.snapshot()[1] >= n1 + n2 or a.error, deadline,
              "A to read the second %d records" % n2)
        time.sleep(1.0)  # room for a duplicate delivery to show up
    except TimeoutError as e:
        result["error"] = str(e)
    finally:
        a.stop_flag.set()
        b.stop_flag.set()
        a.join(timeout=30)
        b.join(timeout=30)
    result["a_records"] = a.records
    result["b_records"] = b.records
    result["bad_values"] = a.bad_values + b.bad_values
    errors = [m.name + ": " + m.error for m in (a, b) if m.error]
    if errors:
        result["error"] = "; ".join(errors + ([result["error"]] if "error" in result else []))
    result["ok"] = "error" not in result
    return result
