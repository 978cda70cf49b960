package caravan.bench;

import caravan.event.DocumentIds;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@link RecordDecodeBenchmark}'s work in two builds at once, for when the machine's speed moves more
 * between runs than a change does: each build's {@code caravan} classes in a class loader of their own,
 * rounds alternating in one JVM, timed in the thread's CPU time.
 *
 * <pre>java -cp target/test-classes:$(cat target/test-classpath.txt) caravan.bench.RecordDecodeAB \
 *     &lt;before&gt;/target/classes target/classes [rounds]</pre>
 * (run from a checkout; {@code target/classes} is not on the class path, so each loader reads its own).
 */
public final class RecordDecodeAB {
    private static byte[][] records;

    private RecordDecodeAB() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        URL self = RecordDecodeAB.class.getProtectionDomain().getCodeSource().getLocation();
        Method[] round = new Method[2];
        for (int k = 0; k < 2; k++) {
            if (!Files.isDirectory(Path.of(args[k]))) {
                throw new IllegalArgumentException("not a build's classes directory: " + args[k]);
            }
            ClassLoader build = new BuildFirst(new URL[] {self, Path.of(args[k]).toUri().toURL()}, RecordDecodeAB.class.getClassLoader());
            Class<?> probe = build.loadClass(RecordDecodeAB.class.getName());
            probe.getMethod("setUp").invoke(null);
            round[k] = probe.getMethod("round", int.class);
        }
        double[][] t = new double[2][rounds];
        double[] bytes = new double[2];
        for (int r = -5; r < rounds; r++) { // 5 warm-up rounds; the order flips every round
            for (int i = 0; i < 2; i++) {
                int k = (r & 1) == 0 ? i : 1 - i;
                double[] x = (double[]) round[k].invoke(null, 200_000);
                if (r >= 0) {
                    t[k][r] = x[0];
                    bytes[k] = x[1];
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            double[] s = t[k].clone();
            Arrays.sort(s);
            System.out.printf("%s: median %.0f ns CPU per record (min %.0f, max %.0f), %.0f bytes allocated per record%n",
                    args[k], s[rounds / 2], s[0], s[rounds - 1], bytes[k]);
        }
    }

    public static void setUp() throws Exception {
        records = RecordDecodeBenchmark.shippedRecords();
    }

    /**
     * The thread's CPU time and its allocation per record over {@code n} records: the envelope, the id and
     * the content hash. The CPU time leaves the collector's threads out; the allocation says what they get.
     */
    public static double[] round(int n) {
        var cpu = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long a0 = cpu.getCurrentThreadAllocatedBytes();
        long t0 = cpu.getCurrentThreadCpuTime();
        long sink = 0;
        DocumentIds.Hasher h = DocumentIds.hasher();
        for (int i = 0; i < n; i++) {
            sink += RecordDecodeBenchmark.decode(records[i & (records.length - 1)], h);
        }
        double ns = (cpu.getCurrentThreadCpuTime() - t0) / (double) n;
        double allocated = (cpu.getCurrentThreadAllocatedBytes() - a0) / (double) n;
        return new double[] {sink == 42 ? -ns : ns, allocated};
    }

    /** Loads {@code caravan} classes from its own URLs before asking its parent, so each build keeps its own. */
    private static final class BuildFirst extends URLClassLoader {
        BuildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("caravan.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
