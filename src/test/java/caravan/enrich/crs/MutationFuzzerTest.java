package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer's slow-input check: a path that stays slow is a finding; one slow only for a while, or only
 * as slow as the small inputs are now, is not.
 */
class MutationFuzzerTest {
    private static final byte[] INPUT = new byte[5_000];

    @TempDir
    Path out;

    @Test
    void anInputSlowOnEveryRerunIsAFinding() {
        MutationFuzzer f = smallInputsMeasured();
        f.time("k", 5_000, () -> burn(30), INPUT);
        assertThat(f.findings).singleElement().asString().startsWith("slow at input").contains("k: ");
        assertThat(out.toFile().list()).hasSize(1);
    }

    @Test
    void anInputSlowOnlyUntilWarmIsNot() {
        MutationFuzzer f = smallInputsMeasured();
        int[] calls = {0};
        // slow for its first run and ten reruns, as code the JIT has not compiled yet or a throttled VM is
        f.time("k", 5_000, () -> burn(calls[0]++ <= 10 ? 30 : 0.1), INPUT);
        assertThat(calls[0]).isGreaterThan(11);
        assertThat(f.findings).isEmpty();
    }

    @Test
    void anInputSlowOnlyAsTheSmallOnesAreNowIsNot() {
        double[] factor = {1};
        MutationFuzzer f = new MutationFuzzer("test", out, 4, 0);
        for (int i = 0; i < 25; i++) {
            f.time("k", 2_000, () -> burn(0.1 * factor[0]), new byte[2_000]);
        }
        factor[0] = 100; // the whole JVM 100 times slower from here on: the input is as linear as before
        f.time("k", 5_000, () -> burn(0.25 * factor[0]), INPUT);
        assertThat(f.findings).isEmpty();

        f.time("k", 5_000, () -> burn(0.25 * factor[0] * 5), INPUT); // five times the linear cost, even now
        assertThat(f.findings).singleElement().asString().contains("for the last of them run again now");
    }

    /** 25 inputs of 2,000 bytes at 0.1 ms each: a limit of 1 ms for 5,000 bytes at K=4. */
    private MutationFuzzer smallInputsMeasured() {
        MutationFuzzer f = new MutationFuzzer("test", out, 4, 0);
        for (int i = 0; i < 25; i++) {
            f.time("k", 2_000, () -> burn(0.1), new byte[2_000]);
        }
        return f;
    }

    /** Spins until this thread has used {@code millis} of CPU. */
    private static void burn(double millis) {
        var cpu = ManagementFactory.getThreadMXBean();
        long until = cpu.getCurrentThreadCpuTime() + (long) (millis * 1e6);
        while (cpu.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
