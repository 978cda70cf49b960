package caravan.ops;

import caravan.common.Metrics;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/** The {@link PipelineControlMBean} of one running Caravan, on the platform MBean server beside Camel's own. */
public final class PipelineControl implements PipelineControlMBean {
    public static final String OBJECT_NAME = "caravan:type=Pipeline";
    private final CamelContext ctx;
    private volatile boolean paused;

    public PipelineControl(CamelContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public double getLogsProcessed() {
        return Metrics.counterTotal("caravan.logs.processed");
    }

    @Override
    public double getLogsFailed() {
        return Metrics.counterTotal("caravan.logs.failed");
    }

    @Override
    public double getElasticsearchErrors() {
        return Metrics.counterTotal("caravan.elasticsearch.errors");
    }

    @Override
    public double getRoutesReloadFailures() {
        return Metrics.counterTotal("caravan.routes.reload.failures");
    }

    @Override
    public double getCircuitState() {
        double v = Metrics.gaugeValue(PipelineHealth.CIRCUIT_GAUGE);
        return Double.isNaN(v) ? -1 : v;
    }

    @Override
    public boolean isShippingPaused() {
        return paused;
    }

    @Override
    public String[] getTailRoutes() {
        return ctx.getRoutes().stream()
                .filter(r -> r.getEndpoint().getEndpointUri().startsWith("tail:"))
                .map(Route::getRouteId).sorted().toArray(String[]::new);
    }

    @Override
    public synchronized void pauseShipping() throws Exception {
        for (String id : getTailRoutes()) {
            if (ctx.getRouteController().getRouteStatus(id) == ServiceStatus.Started) {
                ctx.getRouteController().suspendRoute(id);
            }
        }
        paused = true;
    }

    @Override
    public synchronized void resumeShipping() throws Exception {
        for (String id : getTailRoutes()) {
            ServiceStatus s = ctx.getRouteController().getRouteStatus(id);
            if (s == ServiceStatus.Suspended) {
                ctx.getRouteController().resumeRoute(id);
            } else if (s == ServiceStatus.Stopped) {
                ctx.getRouteController().startRoute(id); // a consumer that cannot suspend was stopped
            }
        }
        paused = false;
    }

    /** Registers this bean, replacing one left by an earlier runtime in the same JVM (tests). */
    public void register() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    public void unregister() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            // The JVM is going away or the bean was replaced: nothing to release.
        }
    }
}
