package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.index.DlqHeaders;
import caravan.index.IndexTemplates;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6, case 3: documents the mapping refuses go to the DLQ with Elasticsearch's reason, the rest
 * is indexed; after the mapping is fixed, {@code caravan replay} brings them in. A record that keeps
 * failing is replayed a bounded number of times and then parked.
 *
 * <p>The conflict: a template for the test's namespace maps the documents strictly
 * ({@code "dynamic": "strict"}) and leaves {@code user} out, as a mapping change gone wrong would. Access
 * lines with an authenticated user carry {@code user.name} and are refused (400,
 * {@code strict_dynamic_mapping_exception}); lines without one are fine. The fix adds the field to
 * the template and to the live indices.
 */
class MappingConflictIT {
    private static final Logger LOG = LoggerFactory.getLogger(MappingConflictIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void refusedDocumentsAreDeadLetteredAndReplayedAfterTheFix() throws Exception {
        try (Pipeline p = new Pipeline()) {
            installBrokenTemplate(p);
            Lines gen = new Lines("mapping-host", "mapping-" + p.id, 2);
            int lines = 3_000;
            int withUser = conflictingCorpus(gen, lines);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            p.start(props);

            p.awaitAllCommitted(lines, Duration.ofMinutes(3));
            assertThat(p.count()).isEqualTo(lines - withUser);
            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            assertThat(dlq).hasSize(withUser);
            Map<Long, byte[]> produced = new HashMap<>();
            for (int i = 0; i < gen.records.size(); i++) {
                produced.put((long) i, gen.records.get(i).value());
            }
            for (ConsumerRecord<String, byte[]> r : dlq) {
                Map<String, String> h = DlqHeaders.read(r.headers());
                assertThat(h.get(DlqHeaders.STAGE)).isEqualTo("index");
                assertThat(h.get(DlqHeaders.STATUS)).isEqualTo("400");
                assertThat(h.get(DlqHeaders.EXCEPTION)).isEqualTo("strict_dynamic_mapping_exception");
                assertThat(h.get(DlqHeaders.REASON)).startsWith("strict_dynamic_mapping_exception: ").contains("[user]");
                assertThat(h.get(DlqHeaders.SOURCE)).isEqualTo("it-source");
                assertThat(h.get(DlqHeaders.DATASET)).isEqualTo("apache.access");
                assertThat(h.get(DlqHeaders.TOPIC)).isEqualTo(p.topic);
                assertThat(h.get(DlqHeaders.REPLAY_COUNT)).isEqualTo("0");
                // The original record, byte for byte (one partition: the offset is the produce order).
                assertThat(r.value()).isEqualTo(produced.get(Long.parseLong(h.get(DlqHeaders.OFFSET))));
                assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).contains(" - frank");
            }

            Path config = p.writeConfig(props, "replay.properties");
            String dry = p.caravan(config, "replay", "--dry-run", "--reason", "STRICT_DYNAMIC");
            assertThat(dry).contains("would replay " + withUser).contains("stage=index");
            assertThat(p.caravan(config, "replay", "--dry-run", "--stage", "parse")).contains("would replay 0");

            fixMapping(p);
            String replay = p.caravan(config, "replay", "--stage", "index", "--since", "1h");
            LOG.info("replay after the fix: {}", replay.strip());
            assertThat(replay).contains(withUser + " dead letters read; replayed " + withUser + ", skipped 0, parked 0");

            p.awaitCount(lines, Duration.ofMinutes(2));
            p.awaitAllCommitted(lines + withUser, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(lines);
            assertThat(p.ids()).isEqualTo(gen.ids);
            assertThat(p.readAll(p.dlqTopic())).hasSize(withUser); // nothing new failed
            // The replay group committed: a second run has nothing to send.
            assertThat(p.caravan(config, "replay")).contains("0 dead letters read; replayed 0");
            LOG.info("Mapping conflicts: {} lines, {} refused with strict_dynamic_mapping_exception and dead-lettered, "
                    + "{} replayed after the fix; count {} = lines, ids identical", lines, withUser, withUser, p.count());
            removeTemplate(p);
        }
    }

    @Test
    void aRecordThatKeepsFailingIsParkedAfterItsReplays() throws Exception {
        try (Pipeline p = new Pipeline()) {
            installBrokenTemplate(p);
            Lines gen = new Lines("parking-host", "parking-" + p.id);
            List<String> corpus = Lines.parseableCorpus();
            for (int i = 0; i < 20; i++) {
                gen.line(i % 2 == 0 ? withUser(corpus.get(i), "bob") : corpus.get(i), "combined");
            }
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            p.start(props);
            p.awaitAllCommitted(20, Duration.ofMinutes(2));
            awaitDlq(p, 10);
            Path config = p.writeConfig(props, "replay.properties");

            // A filter that matches none of them: all skipped, and kept (appended to the DLQ again).
            assertThat(p.caravan(config, "replay", "--stage", "parse"))
                    .contains("10 dead letters read; replayed 0, skipped 10, parked 0");
            awaitDlq(p, 20);
            // The next run sees only those 10 kept copies, not the 10 it already handled.
            for (int round = 1; round <= 2; round++) {
                assertThat(p.caravan(config, "replay", "--max-attempts", "2"))
                        .contains("10 dead letters read; replayed 10, skipped 0, parked 0");
                awaitDlq(p, 20 + 10 * round); // still refused: back in the DLQ with the count carried
            }
            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            assertThat(dlq.subList(30, 40)).allSatisfy(r -> {
                Map<String, String> h = DlqHeaders.read(r.headers());
                assertThat(h).containsEntry(DlqHeaders.REPLAY_COUNT, "2");
                assertThat(h.get(DlqHeaders.FIRST_FAILURE)).isLessThan(h.get(DlqHeaders.FAILED_AT));
            });
            assertThat(p.caravan(config, "replay", "--max-attempts", "2"))
                    .contains("10 dead letters read; replayed 0, skipped 0, parked 10");
            List<ConsumerRecord<String, byte[]>> parked = p.readAll(p.parkedTopic());
            assertThat(parked).hasSize(10).allSatisfy(r -> assertThat(DlqHeaders.read(r.headers()))
                    .containsKey(DlqHeaders.PARKED_AT).containsEntry(DlqHeaders.REPLAY_COUNT, "2"));
            Thread.sleep(2_000);
            assertThat(p.readAll(p.dlqTopic())).hasSize(40);
            assertThat(p.count()).isEqualTo(10);
            removeTemplate(p);
        }
    }

    /** Templates whose patterns could overlap may not share a priority; each test's gets its own. */
    private static int priority(Pipeline p) {
        return 300 + (p.namespace.hashCode() & 0xffff);
    }

    static void removeTemplate(Pipeline p) throws Exception {
        p.esClient().call("DELETE", "/_index_template/broken-" + p.namespace, null);
    }

    private static void awaitDlq(Pipeline p, long n) {
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> p.topicRecords(p.dlqTopic()) >= n);
    }

    /** Adds {@code lines} corpus lines, one in 50 with a user name the broken template refuses; returns how many. */
    static int conflictingCorpus(Lines gen, int lines) throws Exception {
        List<String> corpus = Lines.parseableCorpus();
        int withUser = 0;
        for (int i = 0; i < lines; i++) {
            String line = corpus.get(i);
            if (i % 50 == 7) {
                line = withUser(line, "frank" + i);
                withUser++;
            }
            gen.line(line, "combined");
        }
        return withUser;
    }

    static String withUser(String combinedLine, String user) {
        return combinedLine.replaceFirst(" - - \\[", " - " + user + " [");
    }

    /** Caravan's template, locked to strict mappings and without {@code user}, for this test's indices only. */
    static void installBrokenTemplate(Pipeline p) throws Exception {
        ObjectNode t = (ObjectNode) JSON.readTree(IndexTemplates.render(1, 0, "1s"));
        t.putArray("index_patterns").add("logs-*-" + p.namespace + "-*");
        t.put("priority", priority(p));
        ObjectNode mappings = (ObjectNode) t.path("template").path("mappings");
        mappings.put("dynamic", "strict");
        ((ObjectNode) mappings.path("properties")).remove("user");
        p.esClient().call("PUT", "/_index_template/broken-" + p.namespace, JSON.writeValueAsString(t));
    }

    /** The fix: the field in the template, and in the live indices (adding a field is allowed there). */
    static void fixMapping(Pipeline p) throws Exception {
        ObjectNode t = (ObjectNode) JSON.readTree(IndexTemplates.render(1, 0, "1s"));
        t.putArray("index_patterns").add("logs-*-" + p.namespace + "-*");
        t.put("priority", priority(p));
        ((ObjectNode) t.path("template").path("mappings")).put("dynamic", "strict");
        p.esClient().call("PUT", "/_index_template/broken-" + p.namespace, JSON.writeValueAsString(t));
        p.esClient().call("PUT", "/" + p.indices() + "/_mapping",
                "{\"properties\":{\"user\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}}}}");
    }
}
