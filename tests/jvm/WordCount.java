import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * A Kafka Streams word count (at-least-once) and the steps around it, for
 * tests/system/kafka_streams.py (CTest system.kafka_streams, issue 15 part 3).
 *
 * <p>Usage: {@code WordCount OP --key value ...}; the last line on stdout is
 * one result line of {@code key=value} fields, starting with {@code ok=true}
 * or {@code ok=false}; the client's log goes to stderr. Exit status 0 when ok.
 *
 * <p>Ops:
 * <ul>
 * <li>setup: creates the input and output topics (--input, --output,
 *     --partitions).
 * <li>produce: sends lines [--from, --to) of --text to --input as record
 *     values (no key), acks=all, idempotent.
 * <li>run: starts the word count (--app-id), waits until the latest value
 *     of every word on --output equals its count in --expected ("word count"
 *     lines, counted by the driver, not here), closes the application
 *     leaving its group, and reports what its internal topics hold: the
 *     changelog's record count and latest value per word (it must keep every
 *     record: the store is in memory, so a restart restores from it), its
 *     cleanup.policy, and the repartition topic's start and end offsets.
 * </ul>
 * The store is kept in memory and its cache is off, so every counted word is
 * one changelog record and one output record.
 */
public final class WordCount {
  private static final String kStore = "counts";
  private static final Duration kPoll = Duration.ofMillis(200);

  private WordCount() {}

  public static void main(String[] argv) {
    String result;
    int status;
    try {
      if (argv.length < 1) throw new IllegalArgumentException("usage: WordCount OP --key value...");
      Map<String, String> args = parseArgs(Arrays.copyOfRange(argv, 1, argv.length));
      result = switch (argv[0]) {
        case "setup" -> setup(args);
        case "produce" -> produce(args);
        case "run" -> run(args);
        default -> throw new IllegalArgumentException("unknown op " + argv[0]);
      };
      status = result.startsWith("ok=true") ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      result = "ok=false error=" + oneWord(e.toString());
      status = 1;
    }
    System.out.println(result);
    System.out.flush();
    System.exit(status);
  }

  private static Map<String, String> parseArgs(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --key: " + argv[i]);
      out.put(argv[i].substring(2), argv[i + 1]);
    }
    if (argv.length % 2 != 0) throw new IllegalArgumentException("a --key without a value");
    return out;
  }

  private static String need(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null) throw new IllegalArgumentException("missing --" + key);
    return v;
  }

  private static String oneWord(String s) {
    return s.replaceAll("\\s+", "_");
  }

  private static Properties common(Map<String, String> args) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, need(args, "bootstrap"));
    return p;
  }

  private static String setup(Map<String, String> args) throws Exception {
    int partitions = Integer.parseInt(need(args, "partitions"));
    try (Admin admin = Admin.create(common(args))) {
      admin.createTopics(List.of(new NewTopic(need(args, "input"), partitions, (short) 1),
          new NewTopic(need(args, "output"), partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    return "ok=true";
  }

  private static String produce(Map<String, String> args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(need(args, "text")), StandardCharsets.UTF_8);
    int from = Integer.parseInt(need(args, "from"));
    int to = Integer.parseInt(need(args, "to"));
    Properties p = common(args);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = from; i < to; ++i) {
        producer.send(new ProducerRecord<>(need(args, "input"), null, lines.get(i)),
            (md, e) -> { if (e != null) failed.compareAndSet(null, e); });
      }
      producer.flush();
    }
    if (failed.get() != null) return "ok=false error=" + oneWord(failed.get().toString());
    return "ok=true lines=" + (to - from);
  }

  private static KafkaStreams buildApp(Map<String, String> args) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(need(args, "input"),
            org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(line -> Arrays.asList(line.split(" ")))
        .groupBy((key, word) -> word, Grouped.with(kStore, Serdes.String(), Serdes.String()))
        .count(Materialized.as(Stores.inMemoryKeyValueStore(kStore)))
        .toStream()
        .to(need(args, "output"), Produced.with(Serdes.String(), Serdes.Long()));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, need(args, "app-id"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, need(args, "bootstrap"));
    p.put(StreamsConfig.STATE_DIR_CONFIG, need(args, "state-dir"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // Purge the repartition topic (DeleteRecords) after each commit, not
    // every 30 s, so the run exercises it.
    p.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 200);
    // A dead member (there should be none: close() leaves the group) costs
    // one session, not Kafka's 45 s default.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
    return new KafkaStreams(builder.build(), p);
  }

  private static Map<String, Long> readExpected(String file) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length == 2) out.put(f[0], Long.parseLong(f[1]));
    }
    return out;
  }

  /** Every partition of a topic, read from its start to its end offsets now. */
  private static final class TopicReader implements AutoCloseable {
    final KafkaConsumer<String, byte[]> consumer;
    final List<TopicPartition> partitions = new ArrayList<>();
    long records;

    TopicReader(Map<String, String> args, String topic) {
      Properties p = common(args);
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumer = new KafkaConsumer<>(p);
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Polls once, folding each record into latest (word → value). */
    void pollInto(Map<String, Long> latest) {
      LongDeserializer longs = new LongDeserializer();
      for (ConsumerRecord<String, byte[]> r : consumer.poll(kPoll)) {
        ++records;
        latest.put(r.key(), r.value() == null ? null : longs.deserialize(r.topic(), r.value()));
      }
    }

    boolean atEnd() {
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        if (consumer.position(tp) < end.get(tp)) return false;
      }
      return true;
    }

    void readToEnd(Map<String, Long> latest, long deadlineNs) {
      while (!atEnd() && System.nanoTime() < deadlineNs) pollInto(latest);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The words whose latest value differs from the expected count. */
  private static List<String> mismatches(Map<String, Long> expected, Map<String, Long> latest) {
    List<String> out = new ArrayList<>();
    Set<String> words = new TreeSet<>(expected.keySet());
    words.addAll(latest.keySet());
    for (String w : words) {
      Long want = expected.get(w);
      Long got = latest.get(w);
      if (want == null ? got != null : !want.equals(got)) out.add(w + ":" + got + "/" + want);
    }
    return out;
  }

  private static String run(Map<String, String> args) throws Exception {
    Map<String, Long> expected = readExpected(need(args, "expected"));
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    long deadline = System.nanoTime()
        + TimeUnit.SECONDS.toNanos(Long.parseLong(args.getOrDefault("timeout-s", "60")));
    String appId = need(args, "app-id");
    StringBuilder result = new StringBuilder();
    Map<String, Long> output = new HashMap<>();
    long started = System.nanoTime();
    try (TopicReader reader = new TopicReader(args, need(args, "output"))) {
      KafkaStreams app = buildApp(args);
      app.setUncaughtExceptionHandler(e -> {
        e.printStackTrace();
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
            .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      app.start();
      List<String> wrong = mismatches(expected, output);
      while (!wrong.isEmpty() && System.nanoTime() < deadline
          && app.state() != KafkaStreams.State.ERROR
          && app.state() != KafkaStreams.State.NOT_RUNNING
          && app.state() != KafkaStreams.State.PENDING_ERROR) {
        reader.pollInto(output);
        wrong = mismatches(expected, output);
      }
      long countedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String stateAtEnd = app.state().toString();
      boolean closed = app.close(CloseOptions
          .timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      // Anything written after the counts matched (a duplicate) shows here.
      reader.readToEnd(output, deadline + TimeUnit.SECONDS.toNanos(10));
      wrong = mismatches(expected, output);
      result.append("ok=").append(wrong.isEmpty() && closed)
          .append(" counted_ms=").append(countedMs)
          .append(" app_state=").append(stateAtEnd)
          .append(" closed=").append(closed)
          .append(" words=").append(expected.size())
          .append(" total=").append(total)
          .append(" wrong=").append(wrong.size())
          .append(" first_wrong=").append(wrong.isEmpty() ? "-" : String.join(",",
              wrong.subList(0, Math.min(5, wrong.size()))));
    }
    result.append(describeInternalTopics(args, appId, expected, deadline));
    return result.toString();
  }

  /** What Streams' internal topics hold after the run (key=value fields). */
  private static String describeInternalTopics(Map<String, String> args, String appId,
      Map<String, Long> expected, long deadline) throws Exception {
    String changelog = appId + "-" + kStore + "-changelog";
    String repartition = appId + "-" + kStore + "-repartition";
    StringBuilder out = new StringBuilder();
    try (Admin admin = Admin.create(common(args))) {
      Set<String> internal = new TreeSet<>();
      for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
        if (t.startsWith(appId + "-")) internal.add(t);
      }
      out.append(" internal_topics=").append(String.join(",", internal));
      Map<String, TopicDescription> described =
          admin.describeTopics(internal).allTopicNames().get(30, TimeUnit.SECONDS);
      List<ConfigResource> resources = new ArrayList<>();
      for (String t : internal) resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      for (String t : internal) {
        ConfigEntry policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t))
            .get("cleanup.policy");
        String kind = t.equals(changelog) ? "changelog" : t.equals(repartition) ? "repartition" : t;
        out.append(' ').append(kind).append("_partitions=")
            .append(described.get(t).partitions().size())
            .append(' ').append(kind).append("_cleanup_policy=")
            .append(policy == null ? "none" : policy.value());
      }
    }
    try (TopicReader reader = new TopicReader(args, changelog)) {
      Map<String, Long> latest = new HashMap<>();
      reader.readToEnd(latest, deadline + TimeUnit.SECONDS.toNanos(20));
      out.append(" changelog_records=").append(reader.records)
          .append(" changelog_wrong=").append(mismatches(expected, latest).size());
    }
    try (TopicReader reader = new TopicReader(args, repartition)) {
      Map<TopicPartition, Long> start = reader.consumer.beginningOffsets(reader.partitions);
      Map<TopicPartition, Long> end = reader.consumer.endOffsets(reader.partitions);
      long starts = 0;
      long ends = 0;
      for (TopicPartition tp : reader.partitions) {
        starts += start.get(tp);
        ends += end.get(tp);
      }
      out.append(" repartition_start_sum=").append(starts)
          .append(" repartition_end_sum=").append(ends);
    }
    return out.toString();
  }
}
