package caravan.ops;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM and SIGINT into a normal, graceful stop instead of the JVM's shutdown: when the
 * JVM handles the signal itself, the process exits 143 whatever the shutdown hooks do, and an
 * orchestrator reads that as a failure.
 *
 * <p>{@code sun.misc.Signal} is reached by reflection: it is exported by {@code jdk.unsupported}
 * in every JDK Caravan runs on, but naming it in source draws a javac warning nobody can suppress.
 * Where it is missing, the JVM's default handling (and Camel's shutdown hook) remains.
 */
final class Signals {
    private Signals() {
    }

    /** Calls {@code onSignal} on TERM and INT; returns false when signals cannot be intercepted here. */
    static boolean onTerminate(Runnable onSignal) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    onSignal.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "caravan graceful stop";
                default -> null;
            };
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, h);
            for (String name : new String[] {"TERM", "INT"}) {
                signal.getMethod("handle", signal, handler)
                        .invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
