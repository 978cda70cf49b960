package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import caravan.parse.Corpus;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spine, end to end on real servers: a followed file, Kafka, parsing, Elasticsearch. */
class PipelineIT {
    private static final Path CORPUS = Corpus.COMBINED_10K;

    @Test
    void corpusIsIndexedExactlyOnceEvenWhenShippedTwice() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(10_000);
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("access.log");
            Files.createFile(log);
            p.tailRoute("it-apache", log, "combined", p.dir.resolve("checkpoints-1"));
            p.start(p.properties());
            Files.write(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            p.awaitCount(10_000, Duration.ofMinutes(3));
            p.awaitAllCommitted(10_000, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(10_000);
            assertThat(p.terms("http.response.status_code")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "200", 9126L, "304", 445L, "404", 213L, "301", 164L, "206", 45L, "500", 3L, "416", 2L, "403", 2L));

            // Ship the same file again from offset 0 (fresh checkpoints): same offsets, same ids.
            p.stop();
            p.tailRoute("it-apache", log, "combined", p.dir.resolve("checkpoints-2"));
            p.start(p.properties());
            long shipped = p.awaitAllCommitted(20_000, Duration.ofMinutes(3));
            assertThat(shipped).isEqualTo(20_000);
            assertThat(p.topicLines()).isEqualTo(20_000);
            assertThat(p.count()).isEqualTo(10_000);
        }
    }

    @Test
    void aLineThatDoesNotParseIsCountedAndTheRestIndexed() throws Exception {
        Counter failed = Metrics.failed("parse", "apache.access");
        double before = failed.count();
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("mixed.log");
            List<String> good = Files.readAllLines(CORPUS, StandardCharsets.UTF_8).subList(0, 50);
            Files.write(log, good.subList(0, 25), StandardCharsets.UTF_8);
            Files.writeString(log, "this is not an access log line\n\u0000\u0001garbage\n", StandardOpenOption.APPEND);
            Files.write(log, good.subList(25, 50), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            p.tailRoute("it-mixed", log, "combined", p.dir.resolve("checkpoints"));
            p.start(p.properties());

            p.awaitAllCommitted(52, Duration.ofMinutes(2));
            assertThat(p.count()).isEqualTo(50);
            assertThat(failed.count() - before).isEqualTo(2.0);
        }
    }

    @Test
    void editingARouteFileTakesEffectWithoutARestart() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        try (Pipeline p = new Pipeline()) {
            Path first = p.dir.resolve("first.log");
            Path second = p.dir.resolve("second.log");
            Files.write(first, lines.subList(0, 10), StandardCharsets.UTF_8);
            Files.write(second, lines.subList(10, 30), StandardCharsets.UTF_8);
            p.tailRoute("it-reload", first, "combined", p.dir.resolve("checkpoints"));
            p.start(p.properties());
            p.awaitCount(10, Duration.ofMinutes(2));

            // The operator points the same route at another file and saves.
            p.tailRoute("it-reload", second, "combined", p.dir.resolve("checkpoints"));

            p.awaitCount(30, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(30);
        }
    }
}
