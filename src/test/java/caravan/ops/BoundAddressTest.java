package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** Issue 12: the start-up line names the port the server got, not the one asked for (0: any). */
class BoundAddressTest {
    @Test
    void portZeroIsReportedAsThePortTheSocketGot() throws Exception {
        Main main = new Main();
        Properties p = new Properties();
        p.setProperty("caravan.http.host", "127.0.0.1");
        p.setProperty("caravan.http.port", "0");
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.host", "127.0.0.1");
        p.setProperty("camel.management.port", "0");
        main.setOverrideProperties(p);
        main.start();
        try {
            CamelContext ctx = main.getCamelContext();
            String address = CaravanRuntime.boundAddress(ctx);
            assertThat(address).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
            int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            main.stop();
        }
    }
}
