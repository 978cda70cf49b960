package caravan.soak;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Caravan processes of a soak: {@code caravan ship} and {@code caravan index} as separate JVMs on
 * the test class path, each started, SIGKILLed, SIGTERMed and started again by name
 * ({@code shipper}, {@code indexer-0}, ...). Each start gets its own log file and HTTP port.
 */
final class Fleet implements AutoCloseable {
    private final Path dir;
    private final Properties base;
    private final String classpath;
    private final Map<String, Process> running = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();

    /** Paths are made absolute: each process runs in {@code dir}, where relative ones would not resolve. */
    Fleet(Path dir, Properties base, String classpath) {
        this.dir = dir.toAbsolutePath();
        this.base = base;
        this.classpath = Arrays.stream(classpath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Starts {@code caravan ship} (name "shipper") or {@code caravan index} (the others). */
    synchronized void start(String name) throws IOException {
        if (running.get(name) != null && running.get(name).isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        int n = starts.merge(name, 1, Integer::sum);
        Properties props = new Properties();
        props.putAll(base);
        props.setProperty("caravan.http.port", Integer.toString(freePort()));
        Path config = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(config)) {
            props.store(out, "caravan soak " + name);
        }
        String half = name.equals("shipper") ? "ship" : "index";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", classpath, "caravan.ops.Caravan", half, "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + "-" + n + ".log").toFile())
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CARAVAN_"));
        running.put(name, pb.start());
    }

    /** SIGKILL: no shutdown hook, no last checkpoint or commit. */
    void kill(String name) throws InterruptedException {
        Process p = await(name);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a clean leave from the consumer group (a rebalance), waited for. */
    void term(String name) throws InterruptedException {
        Process p = await(name);
        p.destroy();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not stop within 90 s of SIGTERM; see its log in " + dir);
        }
    }

    /** The running process of that name; waits while a restart of it is still pending. */
    private Process await(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                Process p = running.get(name);
                if (p != null && p.isAlive()) {
                    return p;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " is not running (it exited or was never restarted); see its log in " + dir);
    }

    /** Names of the processes that are not running now (at the end every one should be). */
    synchronized java.util.List<String> notRunning() {
        return running.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey).sorted().toList();
    }

    /** Starts of each process, the first included. */
    synchronized Map<String, Integer> starts() {
        return Map.copyOf(starts);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Process::destroy);
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
