import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Java client's leader-epoch path against a Kafka-protocol broker (issue
 * 14; CTest system.java_leader_epoch via tests/system/java_leader_epoch.py,
 * against strata-broker and against Apache Kafka).
 *
 * <p>Creates a one-partition topic and produces N records (acks=all). Then a
 * KafkaConsumer without a group (assign, auto.offset.reset=none):
 * offsetsForTimes (ListOffsets v4+) must answer offset 0 with a leader epoch
 * E; a seek to offset N/2 carrying epoch E makes the consumer validate its
 * position with OffsetForLeaderEpoch (the broker advertises v3+ and Metadata
 * carries the leader epoch) and fetch with current_leader_epoch E: the first
 * record must be N/2, and every record must carry leader epoch E (the
 * partitionLeaderEpoch the broker stamped into the batch). A seek past the
 * log end (offset N+10) with epoch E must fail validation with
 * LogTruncationException whose divergent offset is N (where epoch E ends,
 * the log end). Finally the whole partition reads back, offsets 0..N-1.
 *
 * <p>Prints one "java-leader-epoch key=value ..." line; exits 0 when all
 * held, 1 otherwise, 2 on bad arguments.
 */
public final class LeaderEpochCheck {
  private LeaderEpochCheck() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        System.err.println("bad argument " + args[i]);
        System.exit(2);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    String bootstrap = opts.get("bootstrap");
    if (bootstrap == null) {
      System.err.println("usage: LeaderEpochCheck --bootstrap HOST:PORT [--count N] [--topic T]"
          + " [--timeout-s S]");
      System.exit(2);
    }
    int count = Integer.parseInt(opts.getOrDefault("count", "100"));
    String topic = opts.getOrDefault("topic", "java-leader-epoch");
    long timeoutMs = 1000L * Long.parseLong(opts.getOrDefault("timeout-s", "60"));
    List<String> failures = new ArrayList<>();
    run(bootstrap, topic, count, timeoutMs, failures);
    System.out.println("java-leader-epoch topic=" + topic + " count=" + count + " result="
        + (failures.isEmpty() ? "pass" : "FAIL " + String.join("; ", failures)));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private static void run(String bootstrap, String topic, int count, long timeoutMs,
      List<String> failures) throws Exception {
    Properties common = new Properties();
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }
    produce(bootstrap, topic, count, timeoutMs, failures);
    if (!failures.isEmpty()) return;

    TopicPartition tp = new TopicPartition(topic, 0);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.assign(List.of(tp));
      Map<TopicPartition, OffsetAndTimestamp> first =
          consumer.offsetsForTimes(Map.of(tp, 0L), Duration.ofMillis(timeoutMs));
      OffsetAndTimestamp found = first.get(tp);
      if (found == null || found.offset() != 0 || found.leaderEpoch().isEmpty()) {
        failures.add("offsetsForTimes(0) answered " + found + ", not offset 0 with an epoch");
        return;
      }
      int epoch = found.leaderEpoch().get();

      int half = count / 2;
      consumer.seek(tp, new OffsetAndMetadata(half, Optional.of(epoch), ""));
      List<ConsumerRecord<byte[], byte[]>> tail = readUntil(consumer, count - half, timeoutMs);
      checkRecords(tail, half, count, epoch, "after the validated seek", failures);

      consumer.seek(tp, new OffsetAndMetadata(count + 10L, Optional.of(epoch), ""));
      String truncation = expectTruncation(consumer, tp, timeoutMs);
      String expected = "offset=" + count + " epoch=" + epoch;
      if (!expected.equals(truncation)) {
        failures.add("a seek past the end with epoch " + epoch + " gave " + truncation
            + ", not LogTruncationException at " + expected);
      }

      consumer.seek(tp, 0);
      List<ConsumerRecord<byte[], byte[]>> all = readUntil(consumer, count, timeoutMs);
      checkRecords(all, 0, count, epoch, "from the start", failures);
      System.out.println("java-leader-epoch epoch=" + epoch + " validated_seek_first="
          + (tail.isEmpty() ? -1 : tail.get(0).offset()) + " truncation=" + truncation);
    }
  }

  private static void produce(String bootstrap, String topic, int count, long timeoutMs,
      List<String> failures) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; ++i) {
        sent.add(producer.send(new ProducerRecord<>(topic, 0, null,
            ("value-" + i).getBytes(StandardCharsets.UTF_8))));
      }
      producer.flush();
      for (int i = 0; i < count; ++i) {
        long offset = sent.get(i).get(timeoutMs, TimeUnit.MILLISECONDS).offset();
        if (offset != i) {
          failures.add("record " + i + " was acknowledged at offset " + offset);
          return;
        }
      }
    }
  }

  // Polls until `want` records came or the deadline passed.
  private static List<ConsumerRecord<byte[], byte[]>> readUntil(
      KafkaConsumer<byte[], byte[]> consumer, int want, long timeoutMs) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (out.size() < want && System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(r);
    }
    return out;
  }

  // "offset=N epoch=E" from the LogTruncationException a poll throws, or what happened instead.
  private static String expectTruncation(KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      try {
        int got = consumer.poll(Duration.ofMillis(200)).count();
        if (got > 0) return got + " records instead";
      } catch (LogTruncationException e) {
        OffsetAndMetadata divergent = e.divergentOffsets().get(tp);
        if (divergent == null) return "LogTruncationException without a divergent offset";
        return "offset=" + divergent.offset() + " epoch="
            + divergent.leaderEpoch().map(String::valueOf).orElse("none");
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    return "no exception within the deadline";
  }

  private static void checkRecords(List<ConsumerRecord<byte[], byte[]>> records, int from,
      int to, int epoch, String what, List<String> failures) {
    if (records.size() != to - from) {
      failures.add(what + ": read " + records.size() + " records, not " + (to - from));
      return;
    }
    for (int i = 0; i < records.size(); ++i) {
      ConsumerRecord<byte[], byte[]> r = records.get(i);
      String value = new String(r.value(), StandardCharsets.UTF_8);
      if (r.offset() != from + i || !value.equals("value-" + (from + i))) {
        failures.add(what + ": offset " + r.offset() + " holds " + value + ", expected offset "
            + (from + i));
        return;
      }
      if (!r.leaderEpoch().equals(Optional.of(epoch))) {
        failures.add(what + ": offset " + r.offset() + " carries leader epoch " + r.leaderEpoch()
            + ", not " + epoch);
        return;
      }
    }
  }
}
