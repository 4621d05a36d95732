import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java client (kafka-clients) as a row of the Kafka compatibility matrix
 * (tests/system/kafka_compat.py, issue 15 part 2): one operation per process,
 * like tests/system/worker_*.py.
 *
 * <p>Usage: {@code CompatWorker OP JSON}, where JSON is a flat object of
 * strings, numbers, booleans and lists of strings ("bootstrap" always). The
 * last line on stdout is one JSON object, {"ok": true, ...} or {"ok": false,
 * "error": "..."}; the client's log goes to stderr. Exit status 0 when ok, 1
 * when not, 2 on bad usage. Records travel as [topic, partition, offset, key]
 * lists; keys and values are those of tests/system/common.py (key_of,
 * value_of), which valueOf below repeats.
 *
 * <p>Ops: create_topic (Admin: create, describe, and create + delete a
 * scratch topic), produce (acks=all, idempotence and codec as asked),
 * consume (a classic-protocol group member that commits what it kept),
 * split (two members A and B splitting the partitions), read (no group, from
 * the beginning), offsets_for_times (records with given timestamps, then
 * KafkaConsumer.offsetsForTimes).
 */
public final class CompatWorker {
  private static final int kValuePad = 64;
  private static final Duration kPoll = Duration.ofMillis(200);

  private CompatWorker() {}

  public static void main(String[] argv) {
    List<String> ops = List.of("create_topic", "produce", "consume", "split", "read",
        "offsets_for_times");
    if (argv.length != 2 || !ops.contains(argv[0])) {
      emit(Map.of("ok", false, "error", "usage: CompatWorker {" + String.join("|", ops)
          + "} JSON"));
      System.exit(2);
    }
    Map<String, Object> result;
    try {
      Map<String, Object> args = Json.parseObject(argv[1]);
      result = switch (argv[0]) {
        case "create_topic" -> createTopic(args);
        case "produce" -> produce(args);
        case "consume" -> consume(args);
        case "split" -> split(args);
        case "read" -> read(args);
        default -> offsetsForTimes(args);
      };
    } catch (Exception e) {
      e.printStackTrace();
      Throwable cause = e instanceof ExecutionException && e.getCause() != null
          ? e.getCause() : e;
      result = new LinkedHashMap<>();
      result.put("ok", false);
      result.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    result.putIfAbsent("ok", true);
    emit(result);
    System.exit(Boolean.TRUE.equals(result.get("ok")) ? 0 : 1);
  }

  private static void emit(Map<String, Object> result) {
    System.out.println(Json.write(result));
    System.out.flush();
  }

  // -- records of tests/system/common.py ---------------------------------------

  static String keyOf(long i) {
    return String.format("k-%06d", i);
  }

  static String valueOf(long i) {
    return String.format("value-%06d-", i) + "x".repeat(kValuePad);
  }

  /** True when a consumed record's value is the one produced for its key. */
  static boolean checkValue(String key, String value) {
    try {
      return key != null && valueOf(Long.parseLong(key.split("-")[1])).equals(value);
    } catch (RuntimeException e) {
      return false;
    }
  }

  static List<Object> recordOf(ConsumerRecord<String, String> r) {
    return List.of(r.topic(), (long) r.partition(), r.offset(), r.key() == null ? "" : r.key());
  }

  // -- argument access -----------------------------------------------------------

  static String str(Map<String, Object> args, String name) {
    Object v = args.get(name);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("argument " + name + " missing or not a string");
    }
    return s;
  }

  static long num(Map<String, Object> args, String name, double dflt) {
    Object v = args.get(name);
    return v instanceof Number n ? (long) n.doubleValue() : (long) dflt;
  }

  static double real(Map<String, Object> args, String name, double dflt) {
    Object v = args.get(name);
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  static List<String> strings(Map<String, Object> args, String name) {
    List<String> out = new ArrayList<>();
    if (args.get(name) instanceof List<?> list) {
      for (Object o : list) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  // -- admin ---------------------------------------------------------------------

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "compat-java-admin");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return Admin.create(p);
  }

  /**
   * Creates args.topic with args.partitions partitions; describeTopics must
   * show that many, each with a leader. Then creates "{topic}-del" with one
   * partition, deletes it, and listTopics must stop naming it and
   * describeTopics must answer UnknownTopicOrPartition.
   */
  static Map<String, Object> createTopic(Map<String, Object> args) throws Exception {
    String topic = str(args, "topic");
    int partitions = (int) num(args, "partitions", 1);
    Map<String, Object> result = new LinkedHashMap<>();
    try (Admin admin = admin(str(args, "bootstrap"))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 15000;
      String seen = "nothing";
      while (true) {
        try {
          TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
              .get(15, TimeUnit.SECONDS).get(topic);
          long led = d.partitions().stream().filter(p -> p.leader() != null).count();
          seen = d.partitions().size() + " partitions, " + led + " with a leader";
          if (d.partitions().size() == partitions && led == partitions) {
            List<Object> ids = new ArrayList<>();
            for (TopicPartitionInfo p : d.partitions()) {
              ids.add((long) p.partition());
            }
            result.put("partitions", (long) partitions);
            result.put("described", ids);
            break;
          }
        } catch (ExecutionException e) {
          seen = String.valueOf(e.getCause());
        }
        if (System.currentTimeMillis() > deadline) {
          return failure("describeTopics(" + topic + ") shows " + seen + ", expected "
              + partitions + " partitions with a leader each");
        }
        Thread.sleep(200);
      }

      String scratch = topic + "-del";
      admin.createTopics(List.of(new NewTopic(scratch, 1, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
      if (!waitListed(admin, scratch, true)) {
        return failure("listTopics never named " + scratch + " after it was created");
      }
      admin.deleteTopics(List.of(scratch)).all().get(30, TimeUnit.SECONDS);
      if (!waitListed(admin, scratch, false)) {
        return failure("listTopics still names " + scratch + " after deleteTopics");
      }
      try {
        admin.describeTopics(List.of(scratch)).allTopicNames().get(15, TimeUnit.SECONDS);
        return failure("describeTopics(" + scratch + ") still describes it after deleteTopics");
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          return failure("describeTopics(" + scratch + ") after deleteTopics: " + e.getCause()
              + ", expected UnknownTopicOrPartitionException");
        }
      }
      result.put("deleted", scratch);
    }
    return result;
  }

  static boolean waitListed(Admin admin, String topic, boolean listed) throws Exception {
    long deadline = System.currentTimeMillis() + 15000;
    while (true) {
      Set<String> names = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      if (names.contains(topic) == listed) {
        return true;
      }
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
  }

  static Map<String, Object> failure(String error) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ok", false);
    r.put("error", error);
    return r;
  }

  // -- produce -------------------------------------------------------------------

  static KafkaProducer<String, String> producer(String bootstrap, boolean idempotent,
      String compression) {
    return producer(bootstrap, idempotent, compression, 0);
  }

  /** batchBytes 0: the client's default batch.size. */
  static KafkaProducer<String, String> producer(String bootstrap, boolean idempotent,
      String compression, int batchBytes) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "compat-java-producer");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // The client's default is true; the plain produce scenario turns it off.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(idempotent));
    p.put(ProducerConfig.LINGER_MS_CONFIG, batchBytes > 0 ? "0" : "5");
    if (batchBytes > 0) {
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchBytes));
    }
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  /**
   * Sends keys start..start+count-1 (timestamps: the client's clock, or
   * timestamps.get(i - start) when given, to partition (i - start) % P when
   * partitions is positive) and waits for every acknowledgement. Returns the
   * metadata of each record in order; throws on any delivery error.
   */
  static List<RecordMetadata> sendAll(KafkaProducer<String, String> producer, String topic,
      long start, long count, List<Long> timestamps, int partitions) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
    for (long i = start; i < start + count; i++) {
      Integer partition = partitions > 0 ? (int) ((i - start) % partitions) : null;
      Long ts = timestamps != null ? timestamps.get((int) (i - start)) : null;
      futures.add(producer.send(new ProducerRecord<>(topic, partition, ts, keyOf(i),
          valueOf(i))));
    }
    producer.flush();
    List<RecordMetadata> out = new ArrayList<>();
    int failed = 0;
    String first = null;
    for (java.util.concurrent.Future<RecordMetadata> f : futures) {
      try {
        out.add(f.get(60, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        failed++;
        first = first == null ? String.valueOf(e.getCause()) : first;
      }
    }
    if (failed > 0) {
      throw new IllegalStateException(failed + " delivery errors, first: " + first);
    }
    return out;
  }

  static Map<String, Object> produce(Map<String, Object> args) throws Exception {
    long start = num(args, "start", 0);
    long count = num(args, "count", 0);
    Object compression = args.get("compression");
    Map<Integer, Long> first = new TreeMap<>();
    try (KafkaProducer<String, String> producer = producer(str(args, "bootstrap"),
        Boolean.TRUE.equals(args.get("idempotent")),
        compression instanceof String s ? s : "none")) {
      for (RecordMetadata m : sendAll(producer, str(args, "topic"), start, count, null, 0)) {
        first.merge(m.partition(), m.offset(), Math::min);
      }
    }
    Map<String, Object> firstOffsets = new LinkedHashMap<>();
    first.forEach((p, o) -> firstOffsets.put(String.valueOf(p), o));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("produced", count);
    result.put("first_offsets", firstOffsets);
    return result;
  }

  // -- consumers -----------------------------------------------------------------

  static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "compat-java-consumer");
    if (group != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      // Fast group reactions, as the other workers: Kafka's smallest session.
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
    }
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /** Keeps the member's current assignment (eager or cooperative). */
  static final class Assignment implements ConsumerRebalanceListener {
    private final Set<TopicPartition> parts = new HashSet<>();  // guarded by this
    private long assignedAtMs = -1;  // guarded by this

    @Override
    public synchronized void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      parts.removeAll(revoked);
      assignedAtMs = parts.isEmpty() ? -1 : assignedAtMs;
    }

    @Override
    public synchronized void onPartitionsLost(Collection<TopicPartition> lost) {
      onPartitionsRevoked(lost);
    }

    @Override
    public synchronized void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      parts.addAll(assigned);
      assignedAtMs = parts.isEmpty() ? -1 : System.currentTimeMillis();
    }

    synchronized Set<Integer> partitions() {
      Set<Integer> out = new HashSet<>();
      parts.forEach(tp -> out.add(tp.partition()));
      return out;
    }

    synchronized List<Object> asList() {
      List<Object> out = new ArrayList<>();
      parts.forEach(tp -> out.add(List.of(tp.topic(), (long) tp.partition())));
      return out;
    }

    synchronized long assignedAtMs() {
      return assignedAtMs;
    }
  }

  static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String,
      String>> records) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      out.merge(new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return out;
  }

  /**
   * common.consume_scenario: one group member reads up to args.max records
   * (or, with max 0, until quiet_s pass with an assignment and no record),
   * commits exactly the records it kept (commitSync), then closes (leaves).
   */
  static Map<String, Object> consume(Map<String, Object> args) {
    long max = num(args, "max", 0);
    long quietMs = (long) (real(args, "quiet_s", 2.0) * 1000);
    long deadline = System.currentTimeMillis() + 1000 * num(args, "timeout_s", 60);
    Assignment assignment = new Assignment();
    List<ConsumerRecord<String, String>> kept = new ArrayList<>();
    long bad = 0;
    long lastRecordMs = 0;
    boolean timedOut = false;
    try (KafkaConsumer<String, String> c = consumer(str(args, "bootstrap"),
        str(args, "group"))) {
      c.subscribe(strings(args, "topics"), assignment);
      outer:
      while (true) {
        if (max > 0 && kept.size() >= max) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          timedOut = true;
          break;
        }
        for (ConsumerRecord<String, String> r : c.poll(kPoll)) {
          if (max > 0 && kept.size() >= max) {
            break outer;  // never committed: the next member reads it
          }
          kept.add(r);
          bad += checkValue(r.key(), r.value()) ? 0 : 1;
          lastRecordMs = System.currentTimeMillis();
        }
        long assignedAt = assignment.assignedAtMs();
        if (max == 0 && assignedAt >= 0
            && System.currentTimeMillis() - Math.max(assignedAt, lastRecordMs) >= quietMs) {
          break;
        }
      }
      if (!kept.isEmpty()) {
        c.commitSync(nextOffsets(kept), Duration.ofSeconds(30));
      }
    }
    List<Object> records = new ArrayList<>();
    kept.forEach(r -> records.add(recordOf(r)));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("records", records);
    result.put("bad_values", bad);
    result.put("timed_out", timedOut);
    result.put("assignment", assignment.asList());
    return result;
  }

  /**
   * One member of the split scenario on its own thread (its own consumer):
   * polls, keeps what it reads, commits synchronously after every non-empty
   * poll, and leaves the group (close) when told to stop.
   */
  static final class Member extends Thread {
    final Assignment assignment = new Assignment();
    private final String bootstrap;
    private final String group;
    private final String topic;
    private final long deadlineMs;
    private final List<Object> records = new ArrayList<>();  // guarded by this
    private long bad;  // guarded by this
    final AtomicReference<String> error = new AtomicReference<>();
    volatile boolean stop;
    volatile boolean closed;

    Member(String name, String bootstrap, String group, String topic, long deadlineMs) {
      super(name);
      setDaemon(true);
      this.bootstrap = bootstrap;
      this.group = group;
      this.topic = topic;
      this.deadlineMs = deadlineMs;
    }

    @Override
    public void run() {
      try (KafkaConsumer<String, String> c = consumer(bootstrap, group)) {
        c.subscribe(List.of(topic), assignment);
        while (!stop && System.currentTimeMillis() < deadlineMs) {
          List<ConsumerRecord<String, String>> batch = new ArrayList<>();
          c.poll(kPoll).forEach(batch::add);
          synchronized (this) {
            for (ConsumerRecord<String, String> r : batch) {
              records.add(recordOf(r));
              bad += checkValue(r.key(), r.value()) ? 0 : 1;
            }
          }
          if (!batch.isEmpty()) {
            c.commitSync(nextOffsets(batch), Duration.ofSeconds(30));
          }
        }
      } catch (RuntimeException e) {
        e.printStackTrace();
        error.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
      } finally {
        closed = true;
      }
    }

    synchronized int count() {
      return records.size();
    }

    synchronized List<Object> records() {
      return new ArrayList<>(records);
    }

    synchronized long bad() {
      return bad;
    }
  }

  interface Condition {
    boolean holds();
  }

  static void await(Condition cond, long deadlineMs, String what) throws Exception {
    while (!cond.holds()) {
      if (System.currentTimeMillis() > deadlineMs) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** common.split_scenario with two Java members and a Java producer. */
  static Map<String, Object> split(Map<String, Object> args) throws Exception {
    String bootstrap = str(args, "bootstrap");
    String topic = str(args, "topic");
    String group = str(args, "group");
    int parts = (int) num(args, "partitions", 1);
    long n1 = num(args, "n1", 0);
    long n2 = num(args, "n2", 0);
    long deadline = System.currentTimeMillis() + 1000 * num(args, "timeout_s", 90);
    Member a = new Member("A", bootstrap, group, topic, deadline);
    Member b = new Member("B", bootstrap, group, topic, deadline);
    Map<String, Object> result = new LinkedHashMap<>();
    String failed = null;
    try (KafkaProducer<String, String> producer = producer(bootstrap, false, "none")) {
      a.start();
      await(() -> a.assignment.partitions().size() == parts || a.error.get() != null,
          deadline, "A to hold every partition alone");
      b.start();
      await(() -> {
        Set<Integer> sa = a.assignment.partitions();
        Set<Integer> sb = b.assignment.partitions();
        Set<Integer> union = new HashSet<>(sa);
        union.addAll(sb);
        return (!sa.isEmpty() && !sb.isEmpty() && union.size() == sa.size() + sb.size()
            && union.size() == parts) || a.error.get() != null || b.error.get() != null;
      }, deadline, "A and B to split the partitions");
      result.put("split", List.of(sorted(a.assignment.partitions()),
          sorted(b.assignment.partitions())));
      sendAll(producer, topic, 0, n1, null, 0);
      await(() -> a.count() + b.count() >= n1 || a.error.get() != null
          || b.error.get() != null, deadline, "A and B to read the first " + n1 + " records");
      b.stop = true;
      await(() -> b.closed, deadline, "B to leave");
      await(() -> a.assignment.partitions().size() == parts || a.error.get() != null,
          deadline, "A to take every partition after B left");
      result.put("a_after_leave", sorted(a.assignment.partitions()));
      sendAll(producer, topic, n1, n2, null, 0);
      await(() -> a.count() + b.count() >= n1 + n2 || a.error.get() != null, deadline,
          "A to read the second " + n2 + " records");
      Thread.sleep(1000);  // room for a duplicate delivery to show up
    } catch (IllegalStateException e) {
      failed = e.getMessage();
    } finally {
      a.stop = true;
      b.stop = true;
      a.join(30000);
      b.join(30000);
    }
    result.put("a_records", a.records());
    result.put("b_records", b.records());
    result.put("bad_values", a.bad() + b.bad());
    List<String> errors = new ArrayList<>();
    for (Member m : List.of(a, b)) {
      if (m.error.get() != null) {
        errors.add(m.getName() + ": " + m.error.get());
      }
    }
    if (failed != null) {
      errors.add(failed);
    }
    if (!errors.isEmpty()) {
      result.put("ok", false);
      result.put("error", String.join("; ", errors));
    }
    return result;
  }

  static List<Object> sorted(Set<Integer> s) {
    List<Object> out = new ArrayList<>();
    s.stream().sorted().forEach(p -> out.add((long) p));
    return out;
  }

  static List<TopicPartition> partitionsOf(KafkaConsumer<String, String> c, String topic)
      throws Exception {
    long deadline = System.currentTimeMillis() + 10000;
    while (true) {
      List<TopicPartition> out = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(p -> out.add(new TopicPartition(topic, p.partition())));
      if (!out.isEmpty() || System.currentTimeMillis() > deadline) {
        return out;
      }
      Thread.sleep(200);
    }
  }

  /**
   * Reads every partition of args.topics from the beginning with no group
   * until args.count records arrived (the compressed-batch scenarios).
   */
  static Map<String, Object> read(Map<String, Object> args) throws Exception {
    long count = num(args, "count", 0);
    long deadline = System.currentTimeMillis() + 1000 * num(args, "timeout_s", 60);
    List<Object> records = new ArrayList<>();
    long bad = 0;
    try (KafkaConsumer<String, String> c = consumer(str(args, "bootstrap"), null)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (String topic : strings(args, "topics")) {
        tps.addAll(partitionsOf(c, topic));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      while (records.size() < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(kPoll)) {
          records.add(recordOf(r));
          bad += checkValue(r.key(), r.value()) ? 0 : 1;
        }
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("records", records);
    result.put("bad_values", bad);
    return result;
  }

  /**
   * Produces args.count records to args.partitions partitions (record i to
   * partition i % P) with create timestamps args.base_ms + i * args.step_ms,
   * in small batches (linger 0, batch.size 1 KiB: many batches per
   * partition), then asks KafkaConsumer.offsetsForTimes for every partition
   * at each of args.targets (strings: decimal milliseconds). Returns what was
   * acknowledged ("produced": [partition, offset, timestamp]) and every
   * answer ("answers": [target, partition, offset or -1, timestamp or -1];
   * -1: the client answered null, no record at or after the target).
   * The driver computes what the answers must be.
   */
  static Map<String, Object> offsetsForTimes(Map<String, Object> args) throws Exception {
    String bootstrap = str(args, "bootstrap");
    String topic = str(args, "topic");
    int partitions = (int) num(args, "partitions", 1);
    long count = num(args, "count", 0);
    long base = num(args, "base_ms", 0);
    long step = num(args, "step_ms", 10);
    List<Long> timestamps = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      timestamps.add(base + i * step);
    }
    List<Object> produced = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(bootstrap, true, "none", 1024)) {
      List<RecordMetadata> acked = sendAll(producer, topic, 0, count, timestamps, partitions);
      for (int i = 0; i < acked.size(); i++) {
        produced.add(List.of((long) acked.get(i).partition(), acked.get(i).offset(),
            timestamps.get(i)));
      }
    }
    List<Object> answers = new ArrayList<>();
    try (KafkaConsumer<String, String> c = consumer(bootstrap, null)) {
      for (String target : strings(args, "targets")) {
        long ts = Long.parseLong(target);
        Map<TopicPartition, Long> query = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
          query.put(new TopicPartition(topic, p), ts);
        }
        Map<TopicPartition, OffsetAndTimestamp> got =
            c.offsetsForTimes(query, Duration.ofSeconds(30));
        for (int p = 0; p < partitions; p++) {
          OffsetAndTimestamp o = got.get(new TopicPartition(topic, p));
          answers.add(List.of(ts, (long) p, o == null ? -1L : o.offset(),
              o == null ? -1L : o.timestamp()));
        }
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("produced", produced);
    result.put("answers", answers);
    return result;
  }

  /**
   * Just enough JSON: parses the workers' argument objects (objects, arrays,
   * strings, numbers, true/false/null) and writes results (maps, lists,
   * strings, numbers, booleans). kafka-clients' classpath has no JSON library.
   */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Map<String, Object> parseObject(String text) {
      Json j = new Json(text);
      Object v = j.value();
      j.space();
      if (!(v instanceof Map<?, ?>) || j.i != j.s.length()) {
        throw new IllegalArgumentException("the argument is not one JSON object: " + text);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), x));
      return out;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private IllegalArgumentException bad(String what) {
      return new IllegalArgumentException("JSON: " + what + " at " + i + " in " + s);
    }

    private void expect(char c) {
      space();
      if (i >= s.length() || s.charAt(i) != c) {
        throw bad("expected '" + c + "'");
      }
      i++;
    }

    private Object value() {
      space();
      if (i >= s.length()) {
        throw bad("unexpected end");
      }
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (i < s.length() && s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          space();
          String k = string();
          expect(':');
          m.put(k, value());
          space();
          if (i < s.length() && s.charAt(i) == ',') {
            i++;
            continue;
          }
          expect('}');
          return m;
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        space();
        if (i < s.length() && s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          space();
          if (i < s.length() && s.charAt(i) == ',') {
            i++;
            continue;
          }
          expect(']');
          return l;
        }
      }
      if (c == '"') {
        return string();
      }
      for (String word : List.of("true", "false", "null")) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
        }
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw bad("unexpected '" + c + "'");
      }
      String n = s.substring(start, i);
      return n.matches("-?\\d+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
    }

    private String string() {
      if (i >= s.length() || s.charAt(i) != '"') {
        throw bad("expected a string");
      }
      i++;
      StringBuilder b = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw bad("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw bad("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw bad("short \\u escape");
            }
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);  // '"', '\\', '/'
        }
      }
    }

    static String write(Object v) {
      StringBuilder b = new StringBuilder();
      write(b, v);
      return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
      if (v == null) {
        b.append("null");
      } else if (v instanceof Map<?, ?> m) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "" : ", ");
          first = false;
          writeString(b, String.valueOf(e.getKey()));
          b.append(": ");
          write(b, e.getValue());
        }
        b.append('}');
      } else if (v instanceof List<?> l) {
        b.append('[');
        for (int k = 0; k < l.size(); k++) {
          b.append(k == 0 ? "" : ", ");
          write(b, l.get(k));
        }
        b.append(']');
      } else if (v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        writeString(b, String.valueOf(v));
      }
    }

    private static void writeString(StringBuilder b, String s) {
      b.append('"');
      for (int k = 0; k < s.length(); k++) {
        char c = s.charAt(k);
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
  }
}
