import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Java client's idempotent producer against a Kafka-protocol broker
 * (issue 13, part 5; CTest system.java_idempotence via
 * tests/system/java_idempotence.py).
 *
 * <p>For each partition count asked for, creates a topic with the Admin API,
 * then one KafkaProducer with the client's defaults (enable.idempotence=true,
 * acks=all, max.in.flight.requests.per.connection=5) and small batches
 * (linger.ms=0, batch.size=16384) sends records 0..N-1, record i to partition
 * i % P, so many produce requests are in flight on one connection at once.
 * Then a KafkaConsumer reads every partition from its start.
 *
 * <p>Holds when: no send failed, the producer's record-retry-total and
 * record-error-total metrics are 0, and partition p holds exactly p, p+P,
 * p+2P, ... at offsets 0, 1, 2, ... (its order, no duplicate, no gap) and
 * nothing else. Prints one "java-idempotence key=value ..." line per topic;
 * exits 0 when every topic held, 1 otherwise, 2 on bad arguments.
 */
public final class IdempotenceCheck {
  private static final int kIndexDigits = 10;

  private IdempotenceCheck() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parseArgs(args);
    String bootstrap = opts.get("bootstrap");
    if (bootstrap == null) {
      System.err.println("usage: IdempotenceCheck --bootstrap HOST:PORT [--partitions 1,8]"
          + " [--count N] [--value-bytes B] [--topic-prefix P] [--timeout-s S]");
      System.exit(2);
    }
    int count = Integer.parseInt(opts.getOrDefault("count", "20000"));
    int valueBytes = Integer.parseInt(opts.getOrDefault("value-bytes", "1024"));
    String prefix = opts.getOrDefault("topic-prefix", "java-idempotence");
    long timeoutMs = 1000L * Long.parseLong(opts.getOrDefault("timeout-s", "90"));
    boolean allHeld = true;
    for (String p : opts.getOrDefault("partitions", "1,8").split(",")) {
      int partitions = Integer.parseInt(p.trim());
      String topic = prefix + "-p" + partitions;
      allHeld &= runTopic(bootstrap, topic, partitions, count, valueBytes, timeoutMs);
    }
    System.out.println("java-idempotence: " + (allHeld ? "PASS" : "FAIL"));
    System.exit(allHeld ? 0 : 1);
  }

  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static boolean runTopic(String bootstrap, String topic, int partitions, int count,
      int valueBytes, long timeoutMs) throws Exception {
    createTopic(bootstrap, topic, partitions);
    Produced produced = produce(bootstrap, topic, partitions, count, valueBytes, timeoutMs);
    ReadBack read = readBack(bootstrap, topic, partitions, count, timeoutMs);
    boolean held = produced.sendErrors == 0 && produced.retries == 0
        && produced.recordErrors == 0 && read.holds(count);
    System.out.printf("java-idempotence topic=%s partitions=%d records=%d value_bytes=%d"
            + " send_errors=%d record_retry_total=%d record_error_total=%d"
            + " read=%d out_of_order=%d duplicates=%d gaps=%d foreign=%d"
            + " produce_s=%.2f mb_per_s=%.1f result=%s%n",
        topic, partitions, count, valueBytes, produced.sendErrors, produced.retries,
        produced.recordErrors, read.records, read.outOfOrder, read.duplicates, read.gaps,
        read.foreign, produced.seconds, produced.mbPerSecond(count, valueBytes),
        held ? "ok" : "FAIL");
    if (produced.firstError != null) {
      System.out.println("  first send error: " + produced.firstError);
    }
    for (String d : read.details) {
      System.out.println("  " + d);
    }
    System.out.flush();
    return held;
  }

  private static void createTopic(String bootstrap, String topic, int partitions)
      throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "java-idempotence-admin");
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** What one producer run observed. */
  private static final class Produced {
    long sendErrors;
    long retries;
    long recordErrors;
    double seconds;
    String firstError;

    double mbPerSecond(int count, int valueBytes) {
      return seconds > 0 ? (double) count * valueBytes / seconds / 1e6 : 0;
    }
  }

  private static Produced produce(String bootstrap, String topic, int partitions, int count,
      int valueBytes, long timeoutMs) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "java-idempotence-" + topic);
    // Defaults kept on purpose: enable.idempotence=true, acks=all,
    // max.in.flight.requests.per.connection=5, retries=MAX. Only the batching
    // is made small, so requests pile up on the connection.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName());
    Produced out = new Produced();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, i % partitions, null, value(i, valueBytes)),
            (metadata, e) -> {
              if (e != null) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e.toString());
              }
            });
      }
      producer.flush();
      out.seconds = (System.nanoTime() - start) / 1e9;
      out.retries = metric(producer.metrics(), "record-retry-total");
      out.recordErrors = metric(producer.metrics(), "record-error-total");
    }
    out.sendErrors = errors.get();
    out.firstError = firstError.get();
    return out;
  }

  /** The producer-wide (group producer-metrics) total of one metric. */
  private static long metric(Map<MetricName, ? extends Metric> metrics, String name) {
    for (Map.Entry<MetricName, ? extends Metric> m : metrics.entrySet()) {
      if (m.getKey().name().equals(name) && m.getKey().group().equals("producer-metrics")) {
        return Math.round(((Number) m.getValue().metricValue()).doubleValue());
      }
    }
    throw new IllegalStateException("the producer has no metric " + name);
  }

  /** Record i's value: its index in decimal, padded with letters to valueBytes. */
  private static byte[] value(int i, int valueBytes) {
    byte[] v = new byte[Math.max(valueBytes, kIndexDigits)];
    byte[] digits = String.format("%0" + kIndexDigits + "d", i).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, v, 0, kIndexDigits);
    for (int k = kIndexDigits; k < v.length; k++) {
      v[k] = (byte) ('a' + (i + k) % 26);
    }
    return v;
  }

  private static int index(byte[] v) {
    return Integer.parseInt(new String(v, 0, kIndexDigits, StandardCharsets.US_ASCII));
  }

  /** What reading every partition from its start found. */
  private static final class ReadBack {
    long records;
    long outOfOrder;
    long duplicates;
    long gaps;
    long foreign;
    final List<String> details = new ArrayList<>();

    boolean holds(int count) {
      return records == count && outOfOrder == 0 && duplicates == 0 && gaps == 0
          && foreign == 0;
    }

    void note(String d) {
      if (details.size() < 10) {
        details.add(d);
      }
    }
  }

  private static ReadBack readBack(String bootstrap, String topic, int partitions, int count,
      long timeoutMs) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "java-idempotence-reader-" + topic);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName());
    ReadBack out = new ReadBack();
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
      // Partition p must hold p, p+P, p+2P, ... at offsets 0, 1, 2, ...
      long[] expectedCount = new long[partitions];
      long[] seen = new long[partitions];  // records read from p so far
      long[] next = new long[partitions];  // the sequence number k expected next
      for (int p = 0; p < partitions; p++) {
        expectedCount[p] = count / partitions + (p < count % partitions ? 1 : 0);
        long end = ends.get(tps.get(p));
        if (end != expectedCount[p]) {
          out.note(String.format("%s-%d: log end offset %d, expected %d", topic, p, end,
              expectedCount[p]));
        }
      }
      long deadline = System.currentTimeMillis() + timeoutMs;
      long wanted = 0;
      for (TopicPartition tp : tps) {
        wanted += ends.get(tp);
      }
      while (out.records < wanted && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          out.records++;
          int p = r.partition();
          // One producer, no transactions: offsets are dense from 0.
          if (r.offset() != seen[p]) {
            out.gaps++;
            out.note(String.format("%s-%d: record %d read at offset %d", topic, p, seen[p],
                r.offset()));
          }
          seen[p]++;
          int got = index(r.value());
          long want = p + next[p] * partitions;
          if (got % partitions != p || got >= count) {
            out.foreign++;
            out.note(String.format("%s-%d offset %d: value %d does not belong here", topic, p,
                r.offset(), got));
          } else if (got == want) {
            next[p]++;
          } else if (got < want) {
            out.duplicates++;
            out.note(String.format("%s-%d offset %d: value %d again (expected %d)", topic, p,
                r.offset(), got, want));
          } else {
            out.outOfOrder++;
            out.note(String.format("%s-%d offset %d: value %d, expected %d (missing or"
                + " reordered)", topic, p, r.offset(), got, want));
            next[p] = (got - p) / partitions + 1;
          }
        }
      }
      for (int p = 0; p < partitions; p++) {
        if (seen[p] != expectedCount[p] || next[p] != expectedCount[p]) {
          out.gaps++;
          out.note(String.format("%s-%d: read %d records, the last in sequence was number %d;"
              + " expected %d", topic, p, seen[p], next[p], expectedCount[p]));
        }
      }
    }
    return out;
  }
}
