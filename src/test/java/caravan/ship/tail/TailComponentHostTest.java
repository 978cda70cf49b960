package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caravan.host.name and caravan.ship.tail.copy-window-ms reach every tail endpoint through the
 * component; a route's own host= and copyWindow= win.
 */
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

    @Test
    void componentCopyWindowIsTheDefaultAndARouteMayOverrideIt() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            TailComponent tail = ctx.getComponent("tail", TailComponent.class);
            String cp = "&checkpointDir=" + dir;
            assertThat(ctx.getEndpoint("tail:" + dir + "/a.log?format=combined" + cp, TailEndpoint.class).options("a")
                    .copyWindow()).isEqualTo(60_000);
            tail.setCopyWindow(3000);
            assertThat(ctx.getEndpoint("tail:" + dir + "/b.log?format=combined" + cp, TailEndpoint.class).options("b")
                    .copyWindow()).isEqualTo(3000);
            TailEndpoint own = ctx.getEndpoint("tail:" + dir + "/c.log?format=combined&copyWindow=500&drainTimeout=700" + cp,
                    TailEndpoint.class);
            assertThat(own.options("c").copyWindow()).isEqualTo(500);
            assertThat(own.options("c").drainTimeout()).isEqualTo(700);
            assertThatThrownBy(() -> ctx.getEndpoint("tail:" + dir + "/d.log?copyWindow=-1" + cp))
                    .hasStackTraceContaining("copyWindow must not be negative");
        }
    }
}
