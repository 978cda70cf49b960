package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short replay of {@link MutationFuzzer} in the default suite: a few thousand blind mutations per
 * target, up to 8 KiB, with a fixed seed, must raise no exception and no slow input. The long runs
 * (millions of inputs, up to 64 KiB) are {@code bench/mutate.sh}'s.
 */
class MutationFuzzTest {
    @ParameterizedTest
    @ValueSource(strings = {"engine", "transformations", "ruleReader"})
    void aFewThousandMutatedInputsRaiseNothingAndStayLinear(String target) throws Exception {
        MutationFuzzer f = new MutationFuzzer(target, Path.of("target/mutate"), 4, 500);
        java.nio.file.Files.createDirectories(Path.of("target/mutate"));
        f.run(2_000, new Mutator(16, FuzzTargets.seeds(target), 30, 8 * 1024), FuzzTargets.target(target));
        assertThat(f.findings).isEmpty();
        assertThat(f.stats).isNotEmpty();
        assertThat(f.stats.values().stream().mapToInt(s -> s.largest).max().orElse(0)).isGreaterThan(4096);
    }
}
