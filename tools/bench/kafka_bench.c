/* kafka_bench: the Kafka-protocol half of tools/bench/kafka-vs-native.sh.
 *
 * The same produce and consume workload as `strata-bench produce|consume`
 * (one producer, 1 KiB values without keys, acks=all, linger.ms 5, 64 KiB
 * batches, a 32 MiB send buffer and 5 requests in flight like libstrata's
 * defaults; a consumer reading every partition from the start), driven through
 * librdkafka's C API against the broker's Kafka listener. Not part of the
 * CMake build: the script compiles it with `cc ... $(pkg-config --libs
 * rdkafka)` against Debian's librdkafka-dev.
 *
 *   kafka_bench produce --broker H:P --topic T [--count N] [--message-bytes B]
 *                       [--acks all|1|0] [--linger-ms MS] [--batch-bytes B]
 *   kafka_bench consume --broker H:P --topic T [--count N] [--message-bytes B]
 *
 * Output: one line like strata-bench's, `kafka-bench <mode> records=...
 * elapsed_s=... records_per_s=... mb_per_s=... [p50_us= p99_us= p999_us=]`
 * (MB = 1e6 bytes of values; produce latency from produce() to the delivery
 * report). Exit status 0 ok, 1 the run failed, 2 usage error.
 */
#include <librdkafka/rdkafka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct options {
  const char *mode;
  const char *broker;
  const char *topic;
  long long count;
  long message_bytes;
  const char *acks;
  long linger_ms;
  long batch_bytes;
};

/* What the delivery-report callback accumulates (librdkafka calls it from
 * rd_kafka_poll/flush on the producing thread). */
struct produce_tally {
  int64_t *sent_ns;       /* per message: when produce() was called */
  double *latency_us;     /* per acked message */
  long long acked;
  long long errors;
  char first_error[256];
};

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double percentile(const double *sorted, long long n, double q) {
  if (n == 0) return 0;
  long long i = (long long)(q * (double)(n - 1) + 0.5);
  return sorted[i];
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  struct produce_tally *t = opaque;
  if (m->err) {
    if (t->errors++ == 0) {
      snprintf(t->first_error, sizeof t->first_error, "%s", rd_kafka_err2str(m->err));
    }
    return;
  }
  const long long i = (long long)(intptr_t)m->_private;
  t->latency_us[t->acked++] = (double)(now_ns() - t->sent_ns[i]) / 1000.0;
}

static int set(rd_kafka_conf_t *conf, const char *name, const char *value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "kafka_bench: %s=%s: %s\n", name, value, err);
    return -1;
  }
  return 0;
}

static int run_produce(const struct options *o) {
  char err[512], buf[32];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  struct produce_tally t = {0};
  t.sent_ns = calloc((size_t)o->count, sizeof *t.sent_ns);
  t.latency_us = calloc((size_t)o->count, sizeof *t.latency_us);
  if (!t.sent_ns || !t.latency_us) return 1;
  int bad = set(conf, "bootstrap.servers", o->broker) | set(conf, "acks", o->acks) |
            set(conf, "enable.idempotence", "false") | set(conf, "compression.codec", "none") |
            set(conf, "queue.buffering.max.kbytes", "32768") |
            set(conf, "queue.buffering.max.messages", "10000000") |
            set(conf, "max.in.flight.requests.per.connection", "5");
  snprintf(buf, sizeof buf, "%ld", o->linger_ms);
  bad |= set(conf, "linger.ms", buf);
  snprintf(buf, sizeof buf, "%ld", o->batch_bytes);
  bad |= set(conf, "batch.size", buf);
  if (bad) return 2;
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, &t);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "kafka_bench: %s\n", err);
    return 1;
  }
  char *value = malloc((size_t)o->message_bytes);
  unsigned seed = 1;
  for (long i = 0; i < o->message_bytes; ++i) value[i] = (char)('a' + rand_r(&seed) % 26);

  const int64_t start = now_ns();
  for (long long i = 0; i < o->count; ++i) {
    t.sent_ns[i] = now_ns();
    for (int tries = 0;; ++tries) {
      rd_kafka_resp_err_t e = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(o->topic), RD_KAFKA_V_VALUE(value, (size_t)o->message_bytes),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void *)(intptr_t)i),
          RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || tries > 600000) {
        fprintf(stderr, "kafka_bench: produce: %s\n", rd_kafka_err2str(e));
        return 1;
      }
      rd_kafka_poll(rk, 1); /* bounded: at most ~10 minutes of a full queue */
    }
    rd_kafka_poll(rk, 0);
  }
  if (rd_kafka_flush(rk, 600000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fprintf(stderr, "kafka_bench: flush timed out with %d in the queue\n", rd_kafka_outq_len(rk));
  }
  const double elapsed = (double)(now_ns() - start) / 1e9;
  rd_kafka_destroy(rk);
  qsort(t.latency_us, (size_t)t.acked, sizeof(double), compare_double);
  printf("kafka-bench produce records=%lld errors=%lld elapsed_s=%.3f records_per_s=%.0f "
         "mb_per_s=%.1f p50_us=%.0f p99_us=%.0f p999_us=%.0f message_bytes=%ld acks=%s "
         "linger_ms=%ld batch_bytes=%ld\n",
         t.acked, t.errors, elapsed, (double)t.acked / elapsed,
         (double)t.acked * (double)o->message_bytes / 1e6 / elapsed,
         percentile(t.latency_us, t.acked, 0.50), percentile(t.latency_us, t.acked, 0.99),
         percentile(t.latency_us, t.acked, 0.999), o->message_bytes, o->acks, o->linger_ms,
         o->batch_bytes);
  if (t.errors) fprintf(stderr, "kafka_bench: first delivery error: %s\n", t.first_error);
  free(value);
  free(t.sent_ns);
  free(t.latency_us);
  return t.errors || t.acked != o->count ? 1 : 0;
}

static int run_consume(const struct options *o) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* group.id only because rd_kafka_consumer_poll needs one; partitions are
   * assigned directly, so no group is joined and nothing is committed. */
  if (set(conf, "bootstrap.servers", o->broker) | set(conf, "group.id", "kafka-bench") |
      set(conf, "enable.auto.commit", "false") | set(conf, "enable.partition.eof", "false")) {
    return 2;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "kafka_bench: %s\n", err);
    return 1;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
  const struct rd_kafka_metadata *md = NULL;
  if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      md->topic_cnt != 1 || md->topics[0].err) {
    fprintf(stderr, "kafka_bench: no metadata for %s\n", o->topic);
    return 1;
  }
  rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
  for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
    rd_kafka_topic_partition_list_add(parts, o->topic, md->topics[0].partitions[p].id)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  const int64_t start = now_ns();
  rd_kafka_assign(rk, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  long long records = 0, errors = 0;
  int64_t last = start;
  const int64_t give_up = start + (int64_t)600 * 1000000000; /* 10 minutes at most */
  while (records < o->count && now_ns() < give_up) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
    if (!m) continue;
    if (m->err) {
      if (errors++ < 5) fprintf(stderr, "kafka_bench: consume: %s\n", rd_kafka_message_errstr(m));
    } else {
      ++records;
      last = now_ns();
    }
    rd_kafka_message_destroy(m);
  }
  const double elapsed = (double)(last - start) / 1e9;
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  printf("kafka-bench consume records=%lld errors=%lld elapsed_s=%.3f records_per_s=%.0f "
         "mb_per_s=%.1f message_bytes=%ld\n",
         records, errors, elapsed, elapsed > 0 ? (double)records / elapsed : 0,
         elapsed > 0 ? (double)records * (double)o->message_bytes / 1e6 / elapsed : 0,
         o->message_bytes);
  return records == o->count ? 0 : 1;
}

int main(int argc, char **argv) {
  struct options o = {NULL, NULL, NULL, 1000000, 1024, "all", 5, 64 * 1024};
  if (argc < 2) goto usage;
  o.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--broker")) o.broker = v;
    else if (!strcmp(k, "--topic")) o.topic = v;
    else if (!strcmp(k, "--count")) o.count = atoll(v);
    else if (!strcmp(k, "--message-bytes")) o.message_bytes = atol(v);
    else if (!strcmp(k, "--acks")) o.acks = v;
    else if (!strcmp(k, "--linger-ms")) o.linger_ms = atol(v);
    else if (!strcmp(k, "--batch-bytes")) o.batch_bytes = atol(v);
    else goto usage;
  }
  if ((argc % 2) != 0 || !o.broker || !o.topic || o.count <= 0 || o.message_bytes <= 0) goto usage;
  if (!strcmp(o.mode, "produce")) return run_produce(&o);
  if (!strcmp(o.mode, "consume")) return run_consume(&o);
usage:
  fprintf(stderr,
          "usage: kafka_bench produce|consume --broker H:P --topic T [--count N] "
          "[--message-bytes B] [--acks all|1|0] [--linger-ms MS] [--batch-bytes B]\n");
  return 2;
}
