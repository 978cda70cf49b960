package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
    private final ConfigValidator v = new ConfigValidator();

    @Test
    void acceptsTheShippedOperatorDefaults() {
        assertThat(v.validate(Map.of("caravan.kafka.brokers", "k:9092", "caravan.index.batch.records", "500",
                "caravan.routes.reload", "false", "camel.main.name", "x"), "test")).isEmpty();
    }

    @Test
    void suggestsTheKeyATypoMeant() {
        assertThat(v.validate(Map.of("caravan.kafka.broker", "k:9092"), "application.properties"))
                .containsExactly("unknown setting 'caravan.kafka.broker' in application.properties: did you mean 'caravan.kafka.brokers'?");
    }

    @Test
    void namesKeyAndFixForBadValues() {
        assertThat(v.validate(Map.of("caravan.index.batch.records", "lots"), "f"))
                .containsExactly("bad value for 'caravan.index.batch.records' in f: 'lots' is not a whole number (the default is 1000)");
        assertThat(v.validate(Map.of("caravan.routes.reload", "yes"), "f"))
                .containsExactly("bad value for 'caravan.routes.reload' in f: 'yes' is not true or false");
        assertThat(v.validate(Map.of("caravan.ship.kafka.compression", "brotli"), "f")).singleElement()
                .asString().contains("'brotli' is not one of [gzip, lz4, none, snappy, zstd]");
    }

    @Test
    void farOffKeysGetNoGuess() {
        assertThat(v.validate(Map.of("caravan.something.else.entirely", "1"), "f")).singleElement()
                .asString().contains("remove it");
    }

    @Test
    void readsEnvironmentVariablesAsTheirKeys() {
        Map<String, String> env = v.fromEnvironment(Map.of("CARAVAN_KAFKA_BROKERS", "k:1", "CARAVAN_INDEX_BULK_MAX_DOCS", "5",
                "CARAVAN_LOG_FORMAT", "json", "PATH", "/bin")).settings();
        assertThat(env).containsOnly(Map.entry("caravan.kafka.brokers", "k:1"), Map.entry("caravan.index.bulk.max-docs", "5"));
    }

    @Test
    void alertSettingsAreCheckedWithTheKeyAndTheFix() {
        assertThat(v.validate(Map.of("caravan.alert.window-seconds", "0"), "f")).singleElement().asString()
                .contains("'caravan.alert.window-seconds'").contains("use at least 1");
        assertThat(v.validate(Map.of("caravan.alert.window-seconds", "1m"), "f")).singleElement().asString()
                .contains("not a whole number (the default is 60)");
        assertThat(v.validate(Map.of("caravan.alert.email.security", "ssl"), "f")).singleElement().asString()
                .contains("is not one of [none, starttls, tls]");
        assertThat(v.validate(Map.of("caravan.alert.webhook.url", "hooks.example.org/x"), "f")).singleElement().asString()
                .contains("'caravan.alert.webhook.url'").contains("not an http(s) URL");
        assertThat(v.validate(Map.of("caravan.alert.email.port", "70000"), "f")).singleElement().asString()
                .contains("not a port");
        assertThat(v.validate(Map.of("caravan.alert.webhook.url", "https://hooks.example.org/x", "caravan.alert.window-seconds", "300",
                "caravan.api.token-file", "/run/secrets/api"), "f")).isEmpty();
        assertThat(v.validate(Map.of("caravan.alert.windw-seconds", "60"), "f")).singleElement().asString()
                .contains("did you mean 'caravan.alert.window-seconds'?");
    }

    @Test
    void kubernetesServiceLinksAreOneWarningNotAnError() {
        ConfigValidator.Environment env = v.fromEnvironment(Map.of("CARAVAN_SERVICE_HOST", "10.0.0.7",
                "CARAVAN_SERVICE_PORT", "9876", "CARAVAN_PORT", "tcp://10.0.0.7:9876", "CARAVAN_PORT_9876_TCP", "tcp://10.0.0.7:9876",
                "CARAVAN_PORT_9876_TCP_ADDR", "10.0.0.7", "CARAVAN_KAFKA_BROKER", "k:1", "CARAVAN_KAFKA_SASL_USERNAME", "caravan"));
        assertThat(env.settings()).containsOnly(Map.entry("caravan.kafka.sasl.username", "caravan"));
        assertThat(env.warning()).startsWith("ignoring 6 CARAVAN_* environment variable(s) that name no setting: ")
                .contains("CARAVAN_KAFKA_BROKER (did you mean CARAVAN_KAFKA_BROKERS?)", "CARAVAN_SERVICE_HOST",
                        "CARAVAN_PORT_9876_TCP_ADDR", "enableServiceLinks");
        assertThat(v.validate(env.settings(), "the environment")).isEmpty();
        assertThat(v.fromEnvironment(Map.of("CARAVAN_KAFKA_BROKERS", "k:1")).warning()).isNull();
    }

    @Test
    void aTypoInAFileIsStillAnError() {
        assertThat(v.validateFile(Map.of("caravan.kafka.security.protcol", "SASL_SSL"), "app.properties")).singleElement()
                .asString().contains("unknown setting 'caravan.kafka.security.protcol'", "did you mean 'caravan.kafka.security.protocol'?");
    }

    @Test
    void kafkaSecretsAreRefusedInAFileButNotFromTheEnvironment() {
        assertThat(v.validateFile(Map.of("caravan.kafka.sasl.password", "hunter2"), "app.properties")).singleElement()
                .asString().contains("secret 'caravan.kafka.sasl.password' in app.properties", "CARAVAN_KAFKA_SASL_PASSWORD",
                        "caravan.kafka.sasl.password-file");
        assertThat(v.validateFile(Map.of("caravan.kafka.sasl.password", "", "caravan.kafka.sasl.password-file", "/run/s"), "f")).isEmpty();
        assertThat(v.validate(v.fromEnvironment(Map.of("CARAVAN_KAFKA_SASL_PASSWORD", "hunter2")).settings(), "the environment")).isEmpty();
    }

    @Test
    void kafkaSecurityValuesAreChecked() {
        assertThat(v.validate(Map.of("caravan.kafka.security.protocol", "SASL_PLAINTEXT"), "f")).singleElement().asString()
                .contains("is not one of [PLAINTEXT, SASL_SSL, SSL]");
        assertThat(v.validate(Map.of("caravan.kafka.sasl.mechanism", "GSSAPI"), "f")).singleElement().asString()
                .contains("is not one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]");
        assertThat(v.validate(Map.of("caravan.kafka.topic.partitions", "0"), "f")).singleElement().asString()
                .contains("use at least 1");
    }

    @Test
    void aRecordHoldsAtLeastOneLine() {
        assertThat(v.validate(Map.of("caravan.ship.kafka.lines-per-record", "0"), "f")).singleElement().asString()
                .contains("caravan.ship.kafka.lines-per-record").contains("use at least 1");
        assertThat(v.validate(Map.of("caravan.ship.kafka.lines-per-record", "1"), "f")).isEmpty();
    }
}
