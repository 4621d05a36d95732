"""confluent-kafka-python (librdkafka) worker: one operation per process."""
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
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

    def on_delivery(err, _msg):
        if err is not None:
            errors.append(str(err))

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


def produce(args):
    produce_records(args["bootstrap"], args["topic"], args["start"], args["count"],
                    args.get("idempotent", False), args.get("compression", "none"))
    return {"produced": args["count"]}


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


if __name__ == "__main__":
    common.run_worker({"create_topic": create_topic, "produce": produce, "consume": consume,
                       "split": split})
