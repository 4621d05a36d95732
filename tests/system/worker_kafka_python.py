"""kafka-python 2.0.2 worker: one operation per process. kafka-python has no
idempotent producer, so `produce` refuses idempotent=true."""
import logging
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.structs import OffsetAndMetadata

import common

logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                    format="%(asctime)s %(name)s %(levelname)s %(message)s")

GROUP_CONF = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 500,
              "auto_offset_reset": "earliest", "enable_auto_commit": False}


def create_topic(args):
    admin = KafkaAdminClient(bootstrap_servers=args["bootstrap"], request_timeout_ms=15000)
    try:
        resp = admin.create_topics([NewTopic(args["topic"], args["partitions"], 1)],
                                   timeout_ms=10000)
        for topic, code, *rest in resp.topic_errors:
            if code != 0:
                return {"ok": False, "error": "CreateTopics %s: error %d %s" % (topic, code, rest)}
    finally:
        admin.close()
    consumer = KafkaConsumer(bootstrap_servers=args["bootstrap"])
    try:
        deadline = common.Deadline(15)
        while not deadline.passed():
            parts = consumer.partitions_for_topic(args["topic"])
            if parts is not None and len(parts) == args["partitions"]:
                return {"partitions": len(parts)}
            consumer.topics()  # refreshes the cached metadata
        return {"ok": False, "error": "metadata never showed %d partitions" % args["partitions"]}
    finally:
        consumer.close()


def produce_records(bootstrap, topic, start, count, compression=None):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                             compression_type=compression, retries=5)
    futures = [producer.send(topic, key=common.key_of(i).encode(),
                             value=common.value_of(i).encode())
               for i in range(start, start + count)]
    producer.flush(timeout=60)
    errors = [str(f.exception) for f in futures if f.failed()]
    undone = sum(1 for f in futures if not f.is_done)
    producer.close(timeout=10)
    if errors or undone:
        raise RuntimeError("%d undelivered, %d delivery errors, first: %s"
                           % (undone, len(errors), errors[:3]))
    first_offsets = {}
    for f in futures:
        p, o = f.value.partition, f.value.offset
        first_offsets[p] = min(first_offsets.get(p, o), o)
    return first_offsets


def produce(args):
    if args.get("idempotent"):
        return {"ok": False, "error": "kafka-python 2.0.2 has no idempotent producer"}
    first = produce_records(args["bootstrap"], args["topic"], args["start"], args["count"],
                            args.get("compression"))
    return {"produced": args["count"], "first_offsets": first}


class _Listener(ConsumerRebalanceListener):
    def __init__(self, on_assignment):
        self.on_assignment = on_assignment

    def on_partitions_revoked(self, revoked):
        self.on_assignment([])

    def on_partitions_assigned(self, assigned):
        self.on_assignment([(tp.topic, tp.partition) for tp in assigned])


class Adapter:
    def __init__(self, bootstrap):
        self.bootstrap = bootstrap

    def open(self, group, topics, on_assignment):
        c = KafkaConsumer(bootstrap_servers=self.bootstrap, group_id=group, **GROUP_CONF)
        c.subscribe(topics=topics, listener=_Listener(on_assignment))
        return c

    def poll(self, c, timeout_s):
        out = []
        for tp, msgs in c.poll(timeout_ms=int(timeout_s * 1000), max_records=500).items():
            for m in msgs:
                out.append((tp.topic, tp.partition, m.offset, m.key.decode(), m.value.decode()))
        return out

    def commit(self, c, offsets):
        c.commit({TopicPartition(t, p): OffsetAndMetadata(o, None)
                  for (t, p), o in offsets.items()})

    def close(self, c):
        c.close(autocommit=False)


def consume(args):
    return common.consume_scenario(Adapter(args["bootstrap"]), args)


def split(args):
    return common.split_scenario(
        Adapter(args["bootstrap"]),
        lambda start, count: produce_records(args["bootstrap"], args["topic"], start, count),
        args)


def read(args):
    """Reads every partition of args["topics"] from the beginning with no
    group until args["count"] records arrived (compressed batches)."""
    c = KafkaConsumer(bootstrap_servers=args["bootstrap"], enable_auto_commit=False)
    try:
        tps = []
        for topic in args["topics"]:
            deadline = common.Deadline(10)
            parts = c.partitions_for_topic(topic)
            while not parts and not deadline.passed():
                c.topics()
                parts = c.partitions_for_topic(topic)
            tps += [TopicPartition(topic, p) for p in sorted(parts or [])]
        c.assign(tps)
        c.seek_to_beginning()
        adapter = Adapter(args["bootstrap"])
        records, bad = [], 0
        deadline = common.Deadline(args.get("timeout_s", 60))
        while len(records) < args["count"] and not deadline.passed():
            for (topic, partition, offset, key, value) in adapter.poll(c, 0.2):
                records.append([topic, partition, offset, key])
                bad += 0 if common.check_value(key, value) else 1
        return {"records": records, "bad_values": bad}
    finally:
        c.close(autocommit=False)


def produce_seq(args):
    """The ordering scenario (kafka_ordering.py): values 0..count-1 in order
    to partition 0, batch_size args["batch"] bytes, linger 0, acks=all,
    args["in_flight"] requests in flight, no retries (kafka-python 2.0.2 has
    no idempotence: a retry could reorder, so an error must show, not be
    hidden). Every result goes to args["out"] as 'value partition offset' or
    'value ERR error'."""
    if args.get("idempotent"):
        return {"ok": False, "error": "kafka-python 2.0.2 has no idempotent producer"}
    producer = KafkaProducer(bootstrap_servers=args["bootstrap"], acks="all", linger_ms=0,
                             batch_size=args["batch"], retries=0,
                             max_in_flight_requests_per_connection=args["in_flight"])
    futures = []
    try:
        for i in range(args["count"]):
            futures.append(producer.send(args["topic"], value=str(i).encode(), partition=0))
        try:
            producer.flush(timeout=max(1.0, args.get("timeout_s", 60)))
        except Exception as e:  # a flush timeout: the undone futures say how many
            print("flush: %s: %s" % (type(e).__name__, e), file=sys.stderr)
    finally:
        producer.close(timeout=10)
    reports, undone = [], 0
    for i, f in enumerate(futures):
        if not f.is_done:
            undone += 1
        elif f.failed():
            reports.append("%d ERR %s" % (i, str(f.exception).replace("\n", " ")))
        else:
            reports.append("%d %d %d" % (i, f.value.partition, f.value.offset))
    common.write_lines(args["out"], reports)
    return {"reports": len(reports), "undelivered": undone}


def read_all(args):
    """Reads every partition of args["topic"] from offset 0 up to the end
    offset it had when the read started (no group); writes 'partition offset
    value' lines to args["out"]."""
    c = KafkaConsumer(bootstrap_servers=args["bootstrap"], enable_auto_commit=False)
    lines = []
    try:
        tps = [TopicPartition(args["topic"], p) for p in range(args["partitions"])]
        c.assign(tps)
        ends = c.end_offsets(tps)
        for tp in tps:
            c.seek(tp, 0)
        deadline = common.Deadline(args.get("timeout_s", 60))
        while any(c.position(tp) < ends[tp] for tp in tps) and not deadline.passed():
            for tp, msgs in c.poll(timeout_ms=200, max_records=5000).items():
                for m in msgs:
                    lines.append("%d %d %s" % (tp.partition, m.offset, m.value.decode()))
        complete = all(c.position(tp) >= ends[tp] for tp in tps)
    finally:
        c.close(autocommit=False)
    common.write_lines(args["out"], lines)
    return {"records": len(lines), "high_watermarks": {tp.partition: ends[tp] for tp in tps},
            "complete": complete}


def offsets_for_times(args):
    """The offsets-for-times scenario (kafka_compat.py): args["count"]
    records, i to partition i % P with create timestamp base_ms + i * step_ms,
    in batches of 1 KiB (acks=all); then KafkaConsumer.offsets_for_times for
    every partition at each target ([target, partition, offset, timestamp],
    offset and timestamp -1 when the client answered None)."""
    topic, parts = args["topic"], args["partitions"]
    producer = KafkaProducer(bootstrap_servers=args["bootstrap"], acks="all", linger_ms=0,
                             batch_size=1024, retries=5)
    futures = [producer.send(topic, key=common.key_of(i).encode(),
                             value=common.value_of(i).encode(), partition=i % parts,
                             timestamp_ms=args["base_ms"] + i * args["step_ms"])
               for i in range(args["count"])]
    producer.flush(timeout=60)
    producer.close(timeout=10)
    produced = []
    for i, f in enumerate(futures):
        m = f.get(timeout=1)  # raises the delivery error, if any
        produced.append([m.partition, m.offset, args["base_ms"] + i * args["step_ms"]])
    c = KafkaConsumer(bootstrap_servers=args["bootstrap"], enable_auto_commit=False)
    answers = []
    try:
        for target in args["targets"]:
            ts = int(target)
            got = c.offsets_for_times({TopicPartition(topic, p): ts for p in range(parts)})
            for tp, o in sorted(got.items()):
                answers.append([ts, tp.partition, o.offset if o else -1, o.timestamp if o else -1])
    finally:
        c.close(autocommit=False)
    return {"produced": produced, "answers": answers}


if __name__ == "__main__":
    common.run_worker({"create_topic": create_topic, "produce": produce, "consume": consume,
                       "split": split, "read": read, "produce_seq": produce_seq,
                       "read_all": read_all, "offsets_for_times": offsets_for_times})
