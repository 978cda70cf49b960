package caravan.bench;

import caravan.event.DocumentIds;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * What the index route's two hashes cost a line: the document id ({@link DocumentIds.Hasher#of}) and the
 * content hash ({@link DocumentIds.Hasher#content}), over the corpus's lines, in CPU time of this thread
 * (medians of the rounds). Two builds compare by running it on each one's classes in turn:
 *
 * <pre>java -cp &lt;classes&gt;:target/test-classes:$(cat target/test-classpath.txt) caravan.bench.DocumentIdsCpuBench [rounds]</pre>
 */
public final class DocumentIdsCpuBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private DocumentIdsCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> lines = LocatedCorpus.lines();
        String host = "web-01.example.org";
        String fileId = "dev:64771/ino:1835012/fp:9b1c5e2d";
        String path = "/var/log/apache2/access.log";
        DocumentIds.Hasher h = DocumentIds.hasher();
        long[] ids = new long[rounds];
        long[] contents = new long[rounds];
        long sink = 0;
        for (int r = -5; r < rounds; r++) { // 5 warm-up rounds
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int rep = 0; rep < 20; rep++) {
                for (int i = 0; i < lines.size(); i++) {
                    sink += h.of(host, fileId, 200L * i + rep).length();
                }
            }
            long c1 = CPU.getCurrentThreadCpuTime();
            for (int rep = 0; rep < 20; rep++) {
                for (String line : lines) {
                    sink += h.content(line, host, path).length();
                }
            }
            long c2 = CPU.getCurrentThreadCpuTime();
            if (r >= 0) {
                ids[r] = c1 - c0;
                contents[r] = c2 - c1;
            }
        }
        double n = 20.0 * lines.size();
        print("document id", ids, n);
        print("content hash", contents, n);
        System.out.println(sink == 42 ? "" : rounds + " rounds of " + lines.size() + " lines x 20");
    }

    /** The rounds' median, fastest and slowest, per line. */
    private static void print(String name, long[] rounds, double lines) {
        long[] t = rounds.clone();
        Arrays.sort(t);
        System.out.printf("%-13s %6.0f ns CPU/line (min %.0f, max %.0f)%n", name, t[t.length / 2] / lines, t[0] / lines,
                t[t.length - 1] / lines);
    }
}
