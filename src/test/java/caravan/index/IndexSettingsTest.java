package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The consumer's waits are read from the built-in defaults, and a value that would make it spin or fail is refused by name. */
class IndexSettingsTest {

    private static Properties defaults() throws Exception {
        Properties p = new Properties();
        try (var in = IndexSettingsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theConsumersWaitsComeFromTheDefaults() throws Exception {
        IndexSettings s = IndexSettings.from(defaults()::getProperty);
        assertThat(s.pollMs()).isEqualTo(500);
        assertThat(s.lingerMs()).isEqualTo(10);
    }

    @Test
    void aPollOfZeroOrANegativeLingerIsRefusedNamingTheKey() throws Exception {
        Properties p = defaults();
        p.setProperty("caravan.index.batch.poll-ms", "0"); // every idle poll would return at once: a busy loop
        assertThatThrownBy(() -> IndexSettings.from(p::getProperty)).hasMessageContaining("caravan.index.batch.poll-ms");
        p.setProperty("caravan.index.batch.poll-ms", "100");
        p.setProperty("caravan.index.batch.linger-ms", "-1");
        assertThatThrownBy(() -> IndexSettings.from(p::getProperty)).hasMessageContaining("caravan.index.batch.linger-ms")
                .hasMessageContaining("0 or more");
        p.setProperty("caravan.index.batch.linger-ms", "0");
        assertThat(IndexSettings.from(p::getProperty).lingerMs()).isZero();
    }
}
