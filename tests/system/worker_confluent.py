"""confluent-kafka-python (librdkafka) worker: one operation per process."""
import logging
import re
import sys

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

import common

# Fast group reactions: heartbeats every 500 ms, the smallest session timeout
# Kafka allows; logs of every librdkafka error go to stderr.
GROUP_CONF = {"session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
              "auto.offset.reset": "earliest", "enable.auto.commit": False}


def create_topic(args):
    admin = AdminClient({"bootstrap.servers": args["bootstrap"]})
    futures = admin.create_topics([NewTopic(args["topic"], args["partitions"], 1)],
                                  operation_timeout=10, request_timeout=15)
    futures[args["topic"]].result(timeout=20)
    deadline = common.Deadline(15)
    while not deadline.passed():
        md = admin.list_topics(topic=args["topic"], timeout=5)
        t = md.topics.get(args["topic"])
        if t is not None and t.error is None and len(t.partitions) == args["partitions"]:
            return {"partitions": len(t.partitions)}
    return {"ok": False, "error": "metadata never showed %d partitions" % args["partitions"]}


def produce_records(bootstrap, topic, start, count, idempotent=False, compression="none"):
    conf = {"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
            "enable.idempotence": idempotent, "compression.type": compression}
    producer = Producer(conf)
    errors = []
    first_offsets = {}

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            p = msg.partition()
            first_offsets[p] = min(first_offsets.get(p, msg.offset()), msg.offset())

    for i in range(start, start + count):
        while True:
            try:
                producer.produce(topic, key=common.key_of(i), value=common.value_of(i),
                                 on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    left = producer.flush(60)
    if left or errors:
        raise RuntimeError("%d undelivered, %d delivery errors, first: %s"
                           % (left, len(errors), errors[:3]))
    return first_offsets


def produce(args):
    """Produces keys start..start+count-1; returns the first acknowledged
    offset of each partition."""
    first = produce_records(args["bootstrap"], args["topic"], args["start"], args["count"],
                            args.get("idempotent", False), args.get("compression", "none"))
    return {"produced": args["count"], "first_offsets": first}


class Adapter:
    def __init__(self, bootstrap):
        self.bootstrap = bootstrap

    def open(self, group, topics, on_assignment):
        c = Consumer(dict(GROUP_CONF, **{"bootstrap.servers": self.bootstrap, "group.id": group}))
        c.subscribe(topics,
                    on_assign=lambda _c, ps: on_assignment([(p.topic, p.partition) for p in ps]),
                    on_revoke=lambda _c, _ps: on_assignment([]))
        return c

    def poll(self, c, timeout_s):
        out = []
        for m in c.consume(num_messages=500, timeout=timeout_s):
            if m.error() is not None:
                print("consume error: %s" % m.error(), file=sys.stderr)
                continue
            out.append((m.topic(), m.partition(), m.offset(), m.key().decode(),
                        m.value().decode()))
        return out

    def commit(self, c, offsets):
        tps = [TopicPartition(t, p, o) for (t, p), o in offsets.items()]
        for tp in c.commit(offsets=tps, asynchronous=False):
            if tp.error is not None:
                raise KafkaException(tp.error)

    def close(self, c):
        c.close()


def consume(args):
    return common.consume_scenario(Adapter(args["bootstrap"]), args)


def split(args):
    return common.split_scenario(
        Adapter(args["bootstrap"]),
        lambda start, count: produce_records(args["bootstrap"], args["topic"], start, count),
        args)


# librdkafka's words for an OUT_OF_ORDER_SEQUENCE_NUMBER (45) answer: the
# error's name and text, and the idempotence paths it takes ("skipped
# sequence numbers" with an epoch bump, "sequence desynchronization" or
# "rewound sequence number" as a fatal error; rdkafka_request.c).
OUT_OF_ORDER_RE = re.compile(r"OUT_OF_ORDER_SEQUENCE|out of order sequence|skipped sequence "
                             r"numbers|sequence desynchronization|rewound sequence", re.I)


class _SequenceErrors(logging.Handler):
    """Counts librdkafka log lines that report an out-of-order sequence and
    keeps the first few; every line also goes to stderr."""

    def __init__(self):
        super().__init__()
        self.count, self.first = 0, []

    def emit(self, record):
        line = record.getMessage()
        sys.stderr.write("%s\n" % line)
        if OUT_OF_ORDER_RE.search(line):
            self.count += 1
            if len(self.first) < 3:
                self.first.append(line[:300])


def produce_seq(args):
    """The ordering scenario (kafka_ordering.py): values 0..count-1 in order
    to partition 0, batches of args["batch"] records, linger 0, acks=all,
    args["in_flight"] requests in flight, idempotence as asked (then with
    debug=eos, so every out-of-order sequence answer is logged and counted).
    Every delivery report goes to args["out"] as 'value partition offset' or
    'value ERR error'."""
    idempotent = bool(args.get("idempotent"))
    seq_errors = _SequenceErrors()
    logger = logging.getLogger("librdkafka")
    logger.propagate = False
    logger.addHandler(seq_errors)
    logger.setLevel(logging.DEBUG)
    client_errors = []

    def on_error(err):
        client_errors.append(str(err))
        seq_errors.emit(logging.LogRecord("librdkafka", logging.ERROR, "", 0,
                                          "error_cb: %s %s" % (err.name(), err), None, None))

    conf = {"bootstrap.servers": args["bootstrap"], "acks": "all", "linger.ms": 0,
            "batch.num.messages": args["batch"],
            "max.in.flight.requests.per.connection": args["in_flight"],
            "enable.idempotence": idempotent, "logger": logger, "error_cb": on_error}
    if idempotent:
        conf["debug"] = "eos"
    producer = Producer(conf)
    reports = []

    def on_delivery(err, msg):
        if err is not None:
            reports.append("%s ERR %s" % (msg.value().decode(), str(err).replace("\n", " ")))
        else:
            reports.append("%s %d %d" % (msg.value().decode(), msg.partition(), msg.offset()))

    deadline = common.Deadline(args.get("timeout_s", 60))
    for i in range(args["count"]):
        while True:
            try:
                producer.produce(args["topic"], value=str(i), partition=0,
                                 on_delivery=on_delivery)
                break
            except BufferError:
                if deadline.passed():
                    raise RuntimeError("producer queue still full at %d after the deadline" % i)
                producer.poll(0.05)
        if i % 1000 == 0:
            producer.poll(0)
    left = producer.flush(max(1.0, deadline.left()))
    producer.poll(0)  # the last log lines and errors
    common.write_lines(args["out"], reports)
    return {"reports": len(reports), "undelivered": left,
            "out_of_order_sequence": seq_errors.count, "first_out_of_order": seq_errors.first,
            "client_errors": client_errors[:5]}


def read_all(args):
    """Reads every partition of args["topic"] from offset 0 up to the high
    watermark it had when the read started (no group); writes
    'partition offset value' lines to args["out"]."""
    c = Consumer({"bootstrap.servers": args["bootstrap"], "group.id": "ordering-read",
                  "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    lines = []
    try:
        ends = {}
        for p in range(args["partitions"]):
            low, high = c.get_watermark_offsets(TopicPartition(args["topic"], p), timeout=10)
            ends[p] = high
        c.assign([TopicPartition(args["topic"], p, 0) for p in range(args["partitions"])])
        nxt = {p: 0 for p in ends}
        deadline = common.Deadline(args.get("timeout_s", 60))
        while any(nxt[p] < ends[p] for p in ends) and not deadline.passed():
            for m in c.consume(num_messages=1000, timeout=0.2):
                if m.error() is not None:
                    print("consume error: %s" % m.error(), file=sys.stderr)
                    continue
                lines.append("%d %d %s" % (m.partition(), m.offset(), m.value().decode()))
                nxt[m.partition()] = max(nxt[m.partition()], m.offset() + 1)
    finally:
        c.close()
    common.write_lines(args["out"], lines)
    return {"records": len(lines), "high_watermarks": ends,
            "complete": all(nxt[p] >= ends[p] for p in ends)}


def _partitions(c, topic):
    deadline = common.Deadline(10)
    while True:
        t = c.list_topics(topic=topic, timeout=5).topics.get(topic)
        if t is not None and t.error is None and t.partitions:
            return sorted(t.partitions)
        if deadline.passed():
            raise RuntimeError("no metadata for %s" % topic)


def read_range(args):
    """Reads partitions of args["topic"] from args["start"] ({partition:
    offset}; the others from 0) up to the high watermark each had when the
    read started (no group). Records as [partition, offset, key, value ok]."""
    c = Consumer({"bootstrap.servers": args["bootstrap"], "group.id": "compat-read-range",
                  "enable.auto.commit": False})
    try:
        start = {int(p): o for p, o in args.get("start", {}).items()}
        ends, nxt = {}, {}
        for p in _partitions(c, args["topic"]):
            _, ends[p] = c.get_watermark_offsets(TopicPartition(args["topic"], p), timeout=10)
            nxt[p] = start.get(p, 0)
        c.assign([TopicPartition(args["topic"], p, nxt[p]) for p in ends if nxt[p] < ends[p]])
        records = []
        deadline = common.Deadline(args.get("timeout_s", 60))
        while any(nxt[p] < ends[p] for p in ends) and not deadline.passed():
            for m in c.consume(num_messages=1000, timeout=0.2):
                if m.error() is not None:
                    print("consume error: %s" % m.error(), file=sys.stderr)
                    continue
                if m.offset() >= ends[m.partition()]:
                    continue  # written after the read started
                key, value = m.key().decode(), m.value().decode()
                records.append([m.partition(), m.offset(), key, common.check_value(key, value)])
                nxt[m.partition()] = max(nxt[m.partition()], m.offset() + 1)
        complete = all(nxt[p] >= ends[p] for p in ends)
    finally:
        c.close()
    return {"ok": complete, "records": records, "high_watermarks": ends,
            "error": "" if complete else "read stopped at %s before %s" % (nxt, ends)}


def read(args):
    """Reads every partition of args["topics"] from the beginning with no
    group until args["count"] records arrived (compressed batches)."""
    c = Consumer({"bootstrap.servers": args["bootstrap"], "group.id": args["group"],
                  "enable.auto.commit": False})
    try:
        tps = [TopicPartition(t, p, OFFSET_BEGINNING) for t in args["topics"]
               for p in _partitions(c, t)]
        c.assign(tps)
        adapter = Adapter(args["bootstrap"])
        records, bad = [], 0
        deadline = common.Deadline(args.get("timeout_s", 60))
        while len(records) < args["count"] and not deadline.passed():
            for (topic, partition, offset, key, value) in adapter.poll(c, 0.2):
                records.append([topic, partition, offset, key])
                bad += 0 if common.check_value(key, value) else 1
        return {"records": records, "bad_values": bad}
    finally:
        c.close()


def offsets_for_times(args):
    """The offsets-for-times scenario (kafka_compat.py): args["count"]
    records, i to partition i % P with create timestamp base_ms + i * step_ms,
    in batches of about 10 (idempotent, acks=all); then
    Consumer.offsets_for_times for every partition at each target. librdkafka
    answers offsets only: the answers' timestamps are null."""
    topic, parts = args["topic"], args["partitions"]
    producer = Producer({"bootstrap.servers": args["bootstrap"], "acks": "all",
                         "enable.idempotence": True, "linger.ms": 0,
                         "batch.num.messages": 10})
    produced, errors = {}, []

    def on_delivery(i, err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            produced[i] = [msg.partition(), msg.offset(), args["base_ms"] + i * args["step_ms"]]

    for i in range(args["count"]):
        producer.produce(topic, key=common.key_of(i), value=common.value_of(i), partition=i % parts,
                         timestamp=args["base_ms"] + i * args["step_ms"],
                         on_delivery=lambda err, msg, i=i: on_delivery(i, err, msg))
        producer.poll(0)
    left = producer.flush(60)
    if left or errors:
        raise RuntimeError("%d undelivered, %d delivery errors, first: %s"
                           % (left, len(errors), errors[:3]))
    c = Consumer({"bootstrap.servers": args["bootstrap"], "group.id": "compat-offsets-for-times",
                  "enable.auto.commit": False})
    answers = []
    try:
        for target in args["targets"]:
            ts = int(target)
            got = c.offsets_for_times([TopicPartition(topic, p, ts) for p in range(parts)],
                                      timeout=30)
            for tp in got:
                if tp.error is not None:
                    raise RuntimeError("offsets_for_times %s [%d] at %d: %s" % (
                        topic, tp.partition, ts, tp.error))
                answers.append([ts, tp.partition, tp.offset, None])
    finally:
        c.close()
    return {"produced": [produced[i] for i in sorted(produced)], "answers": answers}


if __name__ == "__main__":
    common.run_worker({"create_topic": create_topic, "produce": produce, "consume": consume,
                       "split": split, "produce_seq": produce_seq, "read_all": read_all,
                       "read_range": read_range, "read": read,
                       "offsets_for_times": offsets_for_times})
