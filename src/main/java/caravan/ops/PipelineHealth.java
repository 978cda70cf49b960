package caravan.ops;

import caravan.common.Metrics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import caravan.search.SearchCluster;
import caravan.search.SearchEngine;
import caravan.search.SearchRefused;
import caravan.ship.tail.TailConsumer;

/**
 * Caravan's readiness checks, added to Camel's health registry so that they show on
 * {@code /observe/health/ready} beside Camel's own route and consumer checks.
 *
 * <p>All are readiness only: a process whose Elasticsearch is down is alive and will recover by
 * itself, so an orchestrator should stop sending it work, not restart it.
 */
final class PipelineHealth {
    static final String GROUP = "caravan";
    static final String CIRCUIT_GAUGE = "caravan.circuit.state";
    static final String GEOIP_GAUGE = "caravan.enrich.geoip.available";

    private PipelineHealth() {
    }

    private abstract static class ReadinessCheck extends AbstractHealthCheck {
        ReadinessCheck(String id) {
            super(GROUP, id);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }
    }

    /**
     * The search engine answers {@code GET /} through the client the index route uses, is one Caravan
     * supports (engine and version shown), and refuses none of Caravan's requests.
     */
    static HealthCheck elasticsearch(SearchCluster cluster) {
        return new ReadinessCheck("elasticsearch") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                try {
                    SearchEngine engine = cluster.detect();
                    b.detail("engine", engine.product().label()).detail("version", engine.version());
                    SearchRefused refusal = cluster.refusal();
                    if (refusal != null) {
                        b.detail("refused", refusal.kind().label()).message(refusal.getMessage()).down();
                    } else {
                        b.up();
                    }
                } catch (SearchRefused e) {
                    b.detail("refused", e.kind().label()).message(e.getMessage()).down();
                } catch (Exception e) {
                    b.message("search engine unreachable: " + e.getMessage()).error(e).down();
                }
            }
        };
    }

    /** A broker answers, and (when indexing) the indexer group's members and assigned partitions. */
    static HealthCheck kafka(KafkaAdmin admin, String group, boolean indexing) {
        return new ReadinessCheck("kafka") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                try {
                    Admin a = admin.get();
                    int nodes = a.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    b.detail("brokers", nodes);
                    if (indexing) {
                        ConsumerGroupDescription d = a.describeConsumerGroups(java.util.List.of(group))
                                .describedGroups().get(group).get(5, TimeUnit.SECONDS);
                        int assigned = d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                        b.detail("group", group).detail("groupState", String.valueOf(d.state()))
                                .detail("members", d.members().size()).detail("assignedPartitions", assigned);
                    }
                    b.up();
                } catch (Exception e) {
                    b.message("Kafka unreachable: " + e.getMessage()).error(e).down();
                }
            }
        };
    }

    /**
     * The ship half of a process running both, seen from the index half that serves the process's
     * health: down while any of its readiness checks (sources, its routes) is down, naming them.
     */
    static HealthCheck ship(CamelContext shipContext) {
        return new ReadinessCheck("ship") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                if (!shipContext.isStarted()) {
                    b.message("the ship half is not running (" + shipContext.getStatus() + ")").down();
                    return;
                }
                String down = HealthCheckHelper.invokeReadiness(shipContext).stream()
                        .filter(r -> r.getState() != HealthCheck.State.UP)
                        .map(r -> r.getCheck().getId() + "=" + r.getState() + r.getMessage().map(m -> " (" + m + ")").orElse(""))
                        .collect(java.util.stream.Collectors.joining(", "));
                if (down.isEmpty()) {
                    b.up();
                } else {
                    b.detail("down", down).message("ship half: " + down).down();
                }
            }
        };
    }

    /**
     * Every tail: source can write its checkpoints: down, naming the route and the file, while the
     * last write of any failed (a full or read-only disk), since its new files are not read meanwhile.
     */
    static HealthCheck checkpoints(CamelContext ctx) {
        return new ReadinessCheck("checkpoints") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                StringBuilder failing = new StringBuilder();
                for (org.apache.camel.Route r : ctx.getRoutes()) {
                    String failure = r.getConsumer() instanceof TailConsumer t ? t.checkpointFailure() : null;
                    if (failure != null) { // read once: it may clear meanwhile
                        failing.append(failing.isEmpty() ? "" : "; ").append(r.getRouteId()).append(' ').append(failure);
                    }
                }
                if (failing.isEmpty()) {
                    b.up();
                } else {
                    b.message(failing + " (checkpointDir)").down();
                }
            }
        };
    }

    /** A shipper whose routes directory is missing ships nothing: down, naming the key, until it exists. */
    static HealthCheck sources(RouteReloader routes) {
        return new ReadinessCheck("sources") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                Path missing = routes.missingDirectory();
                if (missing == null) {
                    b.up();
                } else {
                    b.message("caravan.routes.dir: " + missing + " is not a directory; no source route is loaded").down();
                }
            }
        };
    }

    static HealthCheck circuit() {
        return new ReadinessCheck("circuit") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                double v = Metrics.gaugeValue(CIRCUIT_GAUGE);
                if (Double.isNaN(v)) {
                    b.detail("circuit", "absent").up();
                } else if (v == 1) {
                    b.detail("circuit", "open").message("circuit to Elasticsearch is open").down();
                } else {
                    b.detail("circuit", v == 0 ? "closed" : "half-open").up();
                }
            }
        };
    }

    /**
     * The GeoIP database, when the enrich stage registered its gauge. Without one the pipeline runs on
     * and documents simply lack geo fields (graceful degradation), so it is reported, never unready.
     */
    static HealthCheck geoip() {
        return new ReadinessCheck("geoip") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                double v = Metrics.gaugeValue(GEOIP_GAUGE);
                if (Double.isNaN(v)) {
                    b.detail("geoip", "not configured").up();
                } else if (v >= 1) {
                    b.detail("geoip", "available").up();
                } else {
                    b.detail("geoip", "unavailable: documents are indexed without geo fields").up();
                }
            }
        };
    }

    /**
     * The enrichers' rule files (bots, threats, CRS): an edit that was refused leaves the previous
     * rules running, but the files on disk are not what runs, which an operator must fix: not ready,
     * naming the enrichers (the log has the file, line and reason).
     */
    static HealthCheck enrichRules() {
        return new ReadinessCheck("enrich-rules") {
            @Override
            protected void doCall(HealthCheckResultBuilder b, Map<String, Object> options) {
                java.util.List<String> refused = Metrics.enrichRulesRefused();
                if (refused.isEmpty()) {
                    b.detail("enrich-rules", "in force as on disk").up();
                } else {
                    b.detail("enrich-rules", "edit refused: " + String.join(",", refused))
                            .message("rule edit refused for " + String.join(", ", refused)
                                    + ": the previous rules still run; fix the file named in the log").down();
                }
            }
        };
    }
}
