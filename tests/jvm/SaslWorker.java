import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.ArrayList;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java row of tests/system/kafka_sasl.py (issue 16): `SaslWorker
 * BOOTSTRAP MECHANISM USER TOPIC GROUP COUNT` with the password in
 * $STRATA_TEST_PASSWORD (never argv) produces COUNT records (acks=all) over
 * SASL_PLAINTEXT and reads them back in group GROUP; prints one line,
 * "ok N" or "error TYPE: MESSAGE", and exits 0 only on "ok".
 */
public final class SaslWorker {
  private SaslWorker() {}

  static Properties sasl(String bootstrap, String mechanism, String user) {
    String password = System.getenv("STRATA_TEST_PASSWORD");
    String module = mechanism.equals("PLAIN")
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    p.put(SaslConfigs.SASL_MECHANISM, mechanism);
    p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user
        + "\" password=\"" + password + "\";");
    return p;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String mechanism = args[1];
    String user = args[2];
    String topic = args[3];
    String group = args[4];
    int count = Integer.parseInt(args[5]);
    try {
      Properties p = sasl(bootstrap, mechanism, user);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          sent.add(producer.send(new ProducerRecord<>(topic, "k-" + i, "v-" + i)));
        }
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
      }
      Properties c = sasl(bootstrap, mechanism, user);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      Set<String> keys = new HashSet<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
        consumer.subscribe(List.of(topic));
        long deadline = System.currentTimeMillis() + 60000;
        while (keys.size() < count && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            keys.add(r.key());
          }
        }
        consumer.commitSync();
      }
      System.out.println((keys.size() == count ? "ok " : "error short read ") + keys.size());
      System.exit(keys.size() == count ? 0 : 1);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.out.println("error " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
      System.exit(1);
    }
  }
}
