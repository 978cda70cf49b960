package caravan.index;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code caravan replay}: reads the dead-letter topic from where the replay group last stopped up to
 * its end at the start of the run, and for each record:
 *
 * <ul>
 *   <li>matching the filter, with replays left: sent back to {@code logs-raw} (same key, same bytes)
 *       with {@code caravan.dlq.replay_count} + 1 and the first-failure time, so if it fails again it
 *       returns to the DLQ with the count carried;</li>
 *   <li>matching, but already replayed {@code max-replays} times: parked in {@code logs-dlq-parked};</li>
 *   <li>not matching: skipped, and appended again to the DLQ unchanged, so a later replay with other
 *       filters still finds it.</li>
 * </ul>
 *
 * <p>Only when every write is acknowledged are the group's offsets committed, to the end of the run:
 * a second replay does not send the same records again. A crash before the commit sends them again
 * on the next run, which the deterministic document ids make harmless (at most one extra counted
 * attempt). A dry run lists what it would do and writes and commits nothing.
 */
public final class Replayer {
    public enum Action { REPLAY, PARK, SKIP }

    /** What a run did (or, dry, would do). */
    public record Report(long read, long replayed, long skipped, long parked, boolean dryRun) {
        @Override
        public String toString() {
            return (dryRun ? "dry run: " : "") + read + " dead letters read; " + (dryRun ? "would replay " : "replayed ")
                    + replayed + ", " + (dryRun ? "skip " : "skipped ") + skipped + ", " + (dryRun ? "park " : "parked ")
                    + parked;
        }
    }

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final String dlqTopic;
    private final String rawTopic;
    private final String parkedTopic;
    private final int maxReplays;
    private final PrintWriter out;

    public Replayer(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, String dlqTopic,
                    String rawTopic, String parkedTopic, int maxReplays, PrintWriter out) {
        this.consumer = consumer;
        this.producer = producer;
        this.dlqTopic = dlqTopic;
        this.rawTopic = rawTopic;
        this.parkedTopic = parkedTopic;
        this.maxReplays = maxReplays;
        this.out = out;
    }

    /** What to do with one dead letter. */
    public static Action decide(Map<String, String> headers, long timestamp, ReplayFilter filter, int maxReplays) {
        if (!filter.matches(headers, timestamp)) {
            return Action.SKIP;
        }
        return replayCount(headers) >= maxReplays ? Action.PARK : Action.REPLAY;
    }

    static int replayCount(Map<String, String> headers) {
        try {
            return Math.max(0, Integer.parseInt(headers.getOrDefault(DlqHeaders.REPLAY_COUNT, "0").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The headers a replayed record carries on {@code logs-raw}: the next count and the first failure. */
    public static RecordHeaders replayHeaders(Map<String, String> dlq) {
        RecordHeaders h = new RecordHeaders();
        h.add(DlqHeaders.header(DlqHeaders.REPLAY_COUNT, Integer.toString(replayCount(dlq) + 1)));
        String first = dlq.getOrDefault(DlqHeaders.FIRST_FAILURE, dlq.get(DlqHeaders.FAILED_AT));
        if (first != null) {
            h.add(DlqHeaders.header(DlqHeaders.FIRST_FAILURE, first));
        }
        return h;
    }

    public Report run(ReplayFilter filter, boolean dryRun) {
        List<PartitionInfo> infos = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            out.println("Dead-letter topic " + dlqTopic + " does not exist or has no partitions: nothing to replay.");
            return new Report(0, 0, 0, 0, dryRun);
        }
        List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(dlqTopic, i.partition())).toList();
        consumer.assign(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts),
                Duration.ofSeconds(30));
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, Duration.ofSeconds(30));
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition tp : parts) {
            OffsetAndMetadata c = committed == null ? null : committed.get(tp);
            start.put(tp, Math.max(c == null ? 0 : c.offset(), begin.getOrDefault(tp, 0L)));
            consumer.seek(tp, start.get(tp));
        }
        out.println("Replaying " + dlqTopic + " (" + filter + ", max replays " + maxReplays + ")"
                + (dryRun ? " - dry run, nothing is written or committed" : ""));

        long read = 0, replayed = 0, skipped = 0, parked = 0;
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long idleSince = System.nanoTime();
        while (!done(parts, end)) {
            var polled = consumer.poll(Duration.ofMillis(500));
            if (polled.isEmpty()) {
                if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("no records from " + dlqTopic + " for 60 s before its end offsets "
                            + end + " were reached");
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<String, byte[]> r : polled) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= end.get(tp) || r.offset() < start.get(tp)) {
                    continue; // arrived after the run started (the next run's), or already handled
                }
                read++;
                Map<String, String> h = DlqHeaders.read(r.headers());
                Action action = decide(h, r.timestamp(), filter, maxReplays);
                switch (action) {
                    case REPLAY -> replayed++;
                    case PARK -> parked++;
                    default -> skipped++;
                }
                if (dryRun) {
                    if (action != Action.SKIP) {
                        out.println((action == Action.REPLAY ? "would replay " : "would park   ") + describe(r, h));
                    }
                    continue;
                }
                acks.add(switch (action) {
                    case REPLAY -> producer.send(new ProducerRecord<>(rawTopic, null, r.key(), r.value(), replayHeaders(h)));
                    case PARK -> producer.send(new ProducerRecord<>(parkedTopic, null, r.key(), r.value(), parkedHeaders(r)));
                    default -> producer.send(new ProducerRecord<>(dlqTopic, null, r.key(), r.value(), copy(r)));
                });
            }
        }
        if (!dryRun) {
            producer.flush();
            for (Future<RecordMetadata> a : acks) {
                try {
                    a.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted before every replayed record was acknowledged; "
                            + "nothing committed, the next run sends them again", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a replayed record was not acknowledged (" + e.getCause()
                            + "); nothing committed, the next run sends them again", e.getCause());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            end.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
            consumer.commitSync(commit);
        }
        out.flush();
        return new Report(read, replayed, skipped, parked, dryRun);
    }

    private boolean done(List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static RecordHeaders copy(ConsumerRecord<String, byte[]> r) {
        RecordHeaders h = new RecordHeaders();
        for (Header x : r.headers()) {
            h.add(x);
        }
        return h;
    }

    private static RecordHeaders parkedHeaders(ConsumerRecord<String, byte[]> r) {
        RecordHeaders h = copy(r);
        h.add(DlqHeaders.header(DlqHeaders.PARKED_AT, Instant.now().toString()));
        return h;
    }

    private static String describe(ConsumerRecord<String, byte[]> r, Map<String, String> h) {
        String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
        if (value.length() > 120) {
            value = value.substring(0, 117) + "...";
        }
        return r.topic() + "/" + r.partition() + "@" + r.offset()
                + " failed_at=" + h.getOrDefault(DlqHeaders.FAILED_AT, "?")
                + " stage=" + h.getOrDefault(DlqHeaders.STAGE, "?")
                + " replays=" + replayCount(h)
                + " source=" + h.getOrDefault(DlqHeaders.SOURCE, "?")
                + " reason=" + caravan.common.SafeLog.escape(h.getOrDefault(DlqHeaders.REASON, "?"))
                + " value=" + caravan.common.SafeLog.escape(value);
    }
}
