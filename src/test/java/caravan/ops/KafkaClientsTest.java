package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {
    @TempDir
    Path dir;

    /** The jar's defaults with the given overrides, as the runtime resolves them. */
    private static Map<String, String> settings(String... kv) {
        Properties d = ConfigValidator.loadDefaults();
        Map<String, String> m = new HashMap<>();
        d.stringPropertyNames().forEach(k -> m.put(k, d.getProperty(k)));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void plaintextByDefault() {
        Properties p = KafkaClients.connection(settings("caravan.kafka.brokers", "k1:9092,k2:9092")::get);
        assertThat(p).containsOnly(Map.entry("bootstrap.servers", "k1:9092,k2:9092"), Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void saslSslWithScramAndATrustStore() throws Exception {
        Path trust = Files.writeString(dir.resolve("ca.p12"), "x");
        Path secret = Files.writeString(dir.resolve("pw"), "s3cr\"et\n");
        Map<String, Object> p = KafkaClients.security(settings("caravan.kafka.security.protocol", "SASL_SSL",
                "caravan.kafka.sasl.username", "caravan", "caravan.kafka.sasl.password-file", secret.toString(),
                "caravan.kafka.ssl.truststore.location", trust.toString(), "caravan.kafka.ssl.truststore.password", "changeit")::get);
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"caravan\" password=\"s3cr\\\"et\";")
                .containsEntry("ssl.truststore.location", trust.toString()).containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "changeit")
                .doesNotContainKey("ssl.keystore.location").doesNotContainKey("ssl.endpoint.identification.algorithm");
    }

    @Test
    void mutualTlsWithAPemCaAndAClientKeyStore() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Path ks = Files.writeString(dir.resolve("client.p12"), "x");
        Map<String, Object> p = KafkaClients.security(settings("caravan.kafka.security.protocol", "SSL",
                "caravan.kafka.ssl.truststore.location", ca.toString(), "caravan.kafka.ssl.truststore.type", "PEM",
                "caravan.kafka.ssl.truststore.password", "ignored-for-pem",
                "caravan.kafka.ssl.keystore.location", ks.toString(), "caravan.kafka.ssl.keystore.password", "kpw",
                "caravan.kafka.ssl.verify-hostname", "false")::get);
        assertThat(p).containsEntry("ssl.truststore.type", "PEM").doesNotContainKey("ssl.truststore.password")
                .containsEntry("ssl.keystore.location", ks.toString()).containsEntry("ssl.keystore.password", "kpw")
                .containsEntry("ssl.endpoint.identification.algorithm", "").doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void plainMechanismUsesThePlainLoginModule() {
        assertThat(KafkaClients.jaas("PLAIN", "u", "p"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
    }

    @Test
    void mistakesNameTheKeyToFix() {
        assertThatThrownBy(() -> KafkaClients.security(settings("caravan.kafka.security.protocol", "SASL_SSL",
                "caravan.kafka.sasl.username", "caravan")::get))
                .hasMessageContaining("caravan.kafka.sasl.password is empty").hasMessageContaining("CARAVAN_KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> KafkaClients.security(settings("caravan.kafka.sasl.username", "caravan")::get))
                .hasMessageContaining("caravan.kafka.sasl.username is set but caravan.kafka.security.protocol is PLAINTEXT");
        assertThatThrownBy(() -> KafkaClients.security(settings("caravan.kafka.security.protocol", "SSL",
                "caravan.kafka.ssl.truststore.location", dir.resolve("missing.p12").toString())::get))
                .hasMessageContaining("caravan.kafka.ssl.truststore.location").hasMessageContaining("cannot be read");
    }
}
