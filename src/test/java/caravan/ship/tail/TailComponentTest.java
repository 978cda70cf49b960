package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.common.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** The component in a Camel context: options, headers, async hand-over, Java and YAML routes alike. */
class TailComponentTest extends TailContextTest {
    @Test
    void javaRouteGetsLinesWithTheShipHeaders() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, "first line\nsecond line\n" + "L".repeat(100) + "\n");
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("*.log") + "&format=combined&service=web&dataset=apache.access&host=web-1&maxLineBytes=20")
                        .routeId("apache-access").to("mock:out");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:out", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 3);
        Message m = mock.getExchanges().get(1).getMessage();
        assertThat(m.getBody(String.class)).isEqualTo("second line");
        assertThat(m.getHeader(TailConstants.OFFSET)).isEqualTo(11L);
        assertThat(m.getHeader(TailConstants.FILE_PATH)).isEqualTo(log.toString());
        assertThat(m.getHeader(TailConstants.FORMAT)).isEqualTo("combined");
        assertThat(m.getHeader(TailConstants.SERVICE)).isEqualTo("web");
        assertThat(m.getHeader(TailConstants.DATASET)).isEqualTo("apache.access");
        assertThat(m.getHeader(TailConstants.HOST)).isEqualTo("web-1");
        assertThat(m.getHeader(TailConstants.SOURCE)).isEqualTo("apache-access");
        assertThat(m.getHeader(TailConstants.FILE_ID, String.class)).matches("[0-9a-f]+-[0-9a-f]+-[0-9a-f]{16}");
        assertThat(m.getHeader(TailConstants.TRUNCATED)).isNull();
        Message cut = mock.getExchanges().get(2).getMessage();
        assertThat(cut.getBody(String.class)).isEqualTo("L".repeat(20));
        assertThat(cut.getHeader(TailConstants.TRUNCATED)).isEqualTo(true);
        // the meter takes a read's lines once the read is split, which may be after the route got them
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Metrics.registry().find("caravan.tail.lines.read").tag("source", "apache-access").counter().count()).isEqualTo(3.0));
        assertThat(Metrics.registry().find("caravan.tail.lines.truncated").tag("source", "apache-access").counter().count())
                .isEqualTo(1.0);
        assertThat(Metrics.registry().find("caravan.tail.lag.bytes").tag("path", log.toString()).gauge()).isNotNull();
    }

    @Test
    void metersCountRotationsAndShowOpenFilesAndLag() throws Exception {
        Path log = dir.resolve("m.log");
        Files.writeString(log, "one\ntwo\n");
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("m.log")).routeId("metered").to("mock:m");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:m", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 2);
        var registry = Metrics.registry();
        assertThat(registry.find("caravan.tail.files.open").tag("source", "metered").gauge().value()).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                registry.find("caravan.tail.lag.bytes").tag("path", log.toString()).gauge().value() == 0.0);
        Files.move(log, dir.resolve("m.log.1"));
        Files.writeString(log, "three\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var c = registry.find("caravan.tail.rotations").tag("source", "metered").tag("kind", "rename").counter();
            return c != null && c.count() >= 1;
        });
        assertThat(registry.find("caravan.tail.bytes.read").tag("source", "metered").counter().count()).isEqualTo(14.0);
    }

    @Test
    void yamlRouteWithParametersBehavesTheSame() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "2026-01-01 ERROR x\n\tat a.B(B.java:1)\n2026-01-01 INFO y\n");
        ctx = new DefaultCamelContext();
        String yaml = """
                - route:
                    id: yaml-app
                    from:
                      uri: "tail:%s"
                      parameters: {format: app, service: api, checkpointDir: "%s", pollDelay: 20, scanInterval: 50,
                                   multilinePattern: java, multilineTimeout: 200}
                      steps:
                        - to: "mock:yaml"
                """.formatted(dir.resolve("*.log"), dir.resolve("cp"));
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("app.yaml", yaml));
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:yaml", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 2);
        assertThat(bodies(mock)).containsExactly("2026-01-01 ERROR x\n\tat a.B(B.java:1)", "2026-01-01 INFO y");
        Message m = mock.getExchanges().get(0).getMessage();
        assertThat(m.getHeader(TailConstants.SERVICE)).isEqualTo("api");
        assertThat(m.getHeader(TailConstants.FORMAT)).isEqualTo("app");
        assertThat(m.getHeader(TailConstants.SOURCE)).isEqualTo("yaml-app");
        assertThat(Files.list(dir.resolve("cp")).map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.endsWith(".json"));
    }

    @Test
    void linesAreHandedOverWithoutWaitingForTheRouteToComplete() throws Exception {
        Path log = dir.resolve("app.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(log, sb);
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // 200 ms per exchange: done one by one this would take 40 s
                from(uri("app.log")).delay(200).asyncDelayed().to("mock:slow");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:slow", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 200);
    }

    @Test
    void aFailedExchangeIsRetriedFromTheCheckpoint() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "a\nb\nc\nd\n");
        AtomicInteger attempts = new AtomicInteger();
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("app.log") + "&retryDelay=50")
                        .process(e -> {
                            if (e.getMessage().getBody(String.class).equals("b") && attempts.incrementAndGet() < 3) {
                                throw new IllegalStateException("Kafka said no");
                            }
                        })
                        .to("mock:retry");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:retry", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 4);
        Thread.sleep(300);
        assertThat(bodies(mock)).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(attempts.get()).isEqualTo(3);
        ctx.stop();
        // the checkpoint now covers the whole file: a restart sends nothing again
        Files.writeString(log, "e\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("app.log")).to("mock:again");
            }
        });
        ctx.start();
        MockEndpoint again = ctx.getEndpoint("mock:again", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.getReceivedCounter() == 1);
        Thread.sleep(300);
        assertThat(bodies(again)).containsExactly("e");
    }

    @Test
    void badOptionsAreRefusedWhenTheRouteIsBuilt() {
        ctx = new DefaultCamelContext();
        assertThatThrownBy(() -> ctx.getEndpoint("tail:/tmp/x.log?startPosition=middle"))
                .hasStackTraceContaining("startPosition must be beginning or end");
        assertThatThrownBy(() -> ctx.getEndpoint("tail:/tmp/x.log?multilinePattern=(unclosed"))
                .hasStackTraceContaining("missing closing )");
        assertThatThrownBy(() -> ctx.getEndpoint("tail:/tmp/x.log?maxBatchLines=0"))
                .hasStackTraceContaining("maxBatchLines must be positive");
        assertThatThrownBy(() -> ctx.getEndpoint("tail:/tmp/x.log?noSuchOption=1"))
                .hasStackTraceContaining("noSuchOption");
    }

    @Test
    void twoEndpointsCannotShareACheckpointFile() throws Exception {
        Files.writeString(dir.resolve("a.log"), "x\n");
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("a.log") + "&checkpointName=same").to("mock:a");
                from(uri("*.log") + "&checkpointName=same").to("mock:b");
            }
        });
        assertThatThrownBy(ctx::start).hasStackTraceContaining("is in use by another tail: endpoint");
    }
}
