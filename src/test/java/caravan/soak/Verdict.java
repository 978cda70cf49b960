package caravan.soak;

import caravan.event.DocumentIds;
import caravan.event.Envelope;
import caravan.search.SearchClient;
import caravan.soak.Faults.Done;
import caravan.soak.SoakPlan.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The soak's verdict, a set comparison. Every line written names itself in its URL
 * ({@code /soak/<file>/<seq>}), so each document in Elasticsearch is traced to one written line and
 * checked: present (else missing), once (else duplicated: the same line under two ids), at the byte
 * offset it was written at (its (file, offset) pair). The document ids must be exactly the ids of
 * the distinct (file identity, offset) pairs the shipper put on Kafka; the DLQ must be empty.
 * Re-sent lines (a (file identity, offset) on Kafka more than once) are blamed on the last fault
 * before them that can cause a re-send (a shipper kill, a Kafka stop).
 */
final class Verdict {
    private static final int NAMED = 20;

    final StringBuilder report = new StringBuilder();
    long documents;
    int missing;
    int duplicated;
    int misplaced;
    int strangers;
    long dlq;
    long topicRecords;
    long topicLines;
    long resent;
    int idsOnlyInEs;
    int idsOnlyOnKafka;

    boolean ok() {
        return missing == 0 && duplicated == 0 && misplaced == 0 && strangers == 0 && dlq == 0 && idsOnlyInEs == 0
                && idsOnlyOnKafka == 0;
    }

    /** Reads Elasticsearch and Kafka and compares them with what the writer wrote. */
    static Verdict of(SoakWriter w, SearchClient es, String indices, String bootstrap, String topic,
                      List<String> dlqTopics, List<Done> faults) throws Exception {
        Verdict v = new Verdict();
        int files = w.files();
        int[][] seen = new int[files][];
        for (int f = 0; f < files; f++) {
            seen[f] = new int[w.count(f)];
        }
        Map<String, List<String>> idsOfDoubled = new TreeMap<>();
        List<String> wrongPlace = new ArrayList<>();
        Set<String> esIds = new HashSet<>();
        es.refresh(indices);
        JsonNode page = es.call("POST", "/" + indices + "/_search?scroll=2m&ignore_unavailable=true&allow_no_indices=true",
                "{\"size\":10000,\"sort\":[\"_doc\"],\"_source\":[\"url.original\",\"log.offset\",\"log.file.path\"]}");
        List<String[]> docs = new ArrayList<>();
        while (true) {
            JsonNode hits = page.path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode h : hits) {
                JsonNode src = h.path("_source");
                String url = text(src, "url", "original");
                String offset = text(src, "log", "offset");
                docs.add(new String[] {h.path("_id").asText(), url, offset, text(src, "log", "file", "path")});
            }
            page = es.call("POST", "/_search/scroll",
                    "{\"scroll\":\"2m\",\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
        }
        v.documents = docs.size();
        Map<String, String> firstIdOf = new HashMap<>();
        for (String[] d : docs) {
            esIds.add(d[0]);
            int[] line = SoakWriter.parse(d[1]);
            if (line == null || line[0] >= files || line[1] >= seen[line[0]].length) {
                v.strangers++;
                continue;
            }
            int f = line[0];
            int seq = line[1];
            String name = "/soak/" + f + "/" + seq;
            if (seen[f][seq]++ > 0) {
                idsOfDoubled.computeIfAbsent(name, k -> new ArrayList<>(List.of(firstIdOf.get(k)))).add(d[0]);
            } else {
                firstIdOf.put(name, d[0]);
            }
            if (d[2] == null || Long.parseLong(d[2]) != w.offsetOf(f, seq)) {
                wrongPlace.add(name + " at offset " + d[2] + " of " + d[3] + ", written at " + w.offsetOf(f, seq)
                        + " of generation " + w.generationOf(f, seq));
            }
        }
        v.duplicated = idsOfDoubled.size();
        v.misplaced = wrongPlace.size();
        List<String> missingNames = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            for (int seq = 0; seq < seen[f].length; seq++) {
                if (seen[f][seq] == 0) {
                    v.missing++;
                    if (missingNames.size() < NAMED) {
                        missingNames.add("/soak/" + f + "/" + seq + " (generation " + w.generationOf(f, seq)
                                + ", offset " + w.offsetOf(f, seq) + ")");
                    }
                }
            }
        }
        Map<String, Long> resentBy = v.readKafka(bootstrap, topic, esIds, faults);
        for (String t : dlqTopics) {
            v.dlq += v.count(bootstrap, t);
        }

        int written = w.written();
        v.report.append(String.format("lines written %d, documents %d, missing %d, duplicated %d, at a wrong offset %d, "
                        + "not written by the soak %d, DLQ records %d%n", written, v.documents, v.missing, v.duplicated,
                v.misplaced, v.strangers, v.dlq));
        v.report.append(String.format("ids: %d only in Elasticsearch, %d only on Kafka; Kafka records %d holding %d lines,"
                + " re-sent lines %d%n", v.idsOnlyInEs, v.idsOnlyOnKafka, v.topicRecords, v.topicLines, v.resent));
        resentBy.forEach((fault, n) -> v.report.append("  re-sent after ").append(fault).append(": ").append(n).append('\n'));
        if (!missingNames.isEmpty()) {
            v.report.append("missing: ").append(String.join(", ", missingNames)).append(v.missing > NAMED ? ", ..." : "")
                    .append('\n');
        }
        idsOfDoubled.entrySet().stream().limit(NAMED)
                .forEach(e -> v.report.append("duplicated: ").append(e.getKey()).append(" as ").append(e.getValue()).append('\n'));
        wrongPlace.stream().limit(NAMED).forEach(s -> v.report.append("wrong offset: ").append(s).append('\n'));
        return v;
    }

    private static String text(JsonNode src, String... path) {
        // _source may hold "log.offset" as a dotted name or as nested objects.
        JsonNode flat = src.get(String.join(".", path));
        if (flat != null && !flat.isNull()) {
            return flat.asText();
        }
        JsonNode n = src;
        for (String p : path) {
            n = n.path(p);
        }
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** The ids of the shipped lines against Elasticsearch's, and the re-sent lines by fault. */
    private Map<String, Long> readKafka(String bootstrap, String topic, Set<String> esIds, List<Done> faults) {
        Set<String> kafkaIds = new HashSet<>();
        Map<String, Long> resentBy = new LinkedHashMap<>();
        List<Done> causes = faults.stream()
                .filter(d -> d.fault().kind() == Kind.KILL_SHIPPER || d.fault().kind() == Kind.STOP_KAFKA).toList();
        readAll(bootstrap, topic, r -> {
            topicRecords++;
            var file = r.headers().lastHeader(Envelope.FILE_HEADER);
            for (Envelope env : Envelope.allFromRecord(r.value(), file == null ? null : file.value())) {
                topicLines++;
                String id = DocumentIds.of(env.host(), env.fileId() != null ? env.fileId() : env.path(), env.offset());
                if (!kafkaIds.add(id)) {
                    resent++;
                    String cause = "no fault (before the first)";
                    for (Done d : causes) {
                        if (d.beganAt() <= r.timestamp()) {
                            cause = d.fault().toString().trim();
                        }
                    }
                    resentBy.merge(cause, 1L, Long::sum);
                }
            }
        });
        idsOnlyInEs = (int) esIds.stream().filter(id -> !kafkaIds.contains(id)).count();
        idsOnlyOnKafka = (int) kafkaIds.stream().filter(id -> !esIds.contains(id)).count();
        return resentBy;
    }

    private long count(String bootstrap, String topic) {
        long[] n = {0};
        readAll(bootstrap, topic, r -> n[0]++);
        return n[0];
    }

    private static void readAll(String bootstrap, String topic,
                                java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (!c.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
                return;
            }
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 5 minutes");
                }
                c.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }
}
