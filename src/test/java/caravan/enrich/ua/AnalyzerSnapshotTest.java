package caravan.enrich.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import caravan.parse.Corpus;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;

class AnalyzerSnapshotTest {
    /**
     * The build's snapshot, compacted ({@link MatcherIndex}), answers every corpus user agent, field by
     * field, as freshly built matchers, not compacted, do.
     */
    @Test
    void theJarsSnapshotParsesTheCorpusAsBuiltMatchersDo() throws IOException {
        UserAgentAnalyzer snapshot = AnalyzerSnapshot.fromJar().orElseThrow(
                () -> new AssertionError("the build (pom.xml, yauaa-snapshot) wrote no snapshot that fits"));
        UserAgentAnalyzer built = AnalyzerSnapshot.build();
        Set<String> agents = corpusAgents();
        agents.add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1");
        agents.add("curl/8.5.0");
        assertTrue(agents.size() > 500, "the corpus has some 550 distinct user agents, found " + agents.size());
        List<String> differences = new ArrayList<>();
        for (String ua : agents) {
            for (String field : UserAgentEnricher.FIELDS) {
                String fromSnapshot = snapshot.parse(ua).getValue(field);
                String fromBuild = built.parse(ua).getValue(field);
                if (!Objects.equals(fromSnapshot, fromBuild)) {
                    differences.add(field + ": " + fromSnapshot + " != " + fromBuild + " for " + ua);
                }
            }
        }
        assertEquals(List.of(), differences);
        assertEquals("Chrome", snapshot.parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36").getValue("AgentName"));
    }

    /** The corpus's distinct user agents, in order of first appearance (also {@link MatcherIndexBench}'s input). */
    static Set<String> corpusAgents() throws IOException {
        Set<String> agents = new LinkedHashSet<>();
        Corpus.parsed("combined", (line, e) -> {
            if (e.userAgent != null) {
                agents.add(e.userAgent);
            }
        });
        return agents;
    }

    @Test
    void aSnapshotOfAnotherYauaaBuildIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Output out = new Output(new GZIPOutputStream(bytes))) {
            out.writeString("yauaa 0.0 0000000 fields AgentName");
            out.writeString("what a later build might hold");
        }
        assertTrue(AnalyzerSnapshot.from(new ByteArrayInputStream(bytes.toByteArray()), "other").isEmpty());
    }

    @Test
    void aDamagedOrMissingSnapshotMeansBuildingNotFailing() {
        byte[] notGzip = "not a snapshot".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(AnalyzerSnapshot.from(new ByteArrayInputStream(notGzip), "damaged").isEmpty());
        assertTrue(AnalyzerSnapshot.from(null, "missing").isEmpty());
    }

    @Test
    void aTruncatedSnapshotMeansBuildingNotFailing() throws IOException {
        byte[] whole = AnalyzerSnapshot.class.getClassLoader().getResourceAsStream(AnalyzerSnapshot.RESOURCE).readAllBytes();
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertTrue(AnalyzerSnapshot.from(new ByteArrayInputStream(half), "truncated").isEmpty());
    }
}
