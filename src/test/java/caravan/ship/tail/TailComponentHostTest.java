package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** caravan.host.name reaches every tail endpoint through the component; a route's own host= wins. */
class TailComponentHostTest {
    @TempDir
    Path dir;

    @Test
    void componentHostIsTheDefaultAndARouteMayOverrideIt() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            TailComponent tail = ctx.getComponent("tail", TailComponent.class);
            String cp = "&checkpointDir=" + dir;
            assertThat(ctx.getEndpoint("tail:" + dir + "/a.log?format=combined" + cp, TailEndpoint.class).getHost()).isNull();
            tail.setHost("web-1");
            assertThat(ctx.getEndpoint("tail:" + dir + "/b.log?format=combined" + cp, TailEndpoint.class).getHost())
                    .isEqualTo("web-1");
            assertThat(ctx.getEndpoint("tail:" + dir + "/c.log?format=combined&host=edge-2" + cp, TailEndpoint.class)
                    .getHost()).isEqualTo("edge-2");
            tail.setHost("");
            assertThat(ctx.getEndpoint("tail:" + dir + "/d.log?format=combined" + cp, TailEndpoint.class).getHost()).isNull();
        }
    }
}
