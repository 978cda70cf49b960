package caravan.generate;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.LineParser;
import caravan.event.LogEvent;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The generator's lines go through Caravan's real parsers; mix, rate and bursts are measured on what they read. */
class LineGeneratorTest {
    private static final int LINES = 100_000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static List<LogEvent> parseAll(GenFormat format, Schedule schedule, int n, long seed) {
        LineGenerator gen = new LineGenerator(format, schedule, START, seed, 0.05, 0.02);
        LineParser parser = Parsers.forFormat(format.parserSpec());
        List<LogEvent> events = new ArrayList<>(n);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = gen.next();
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
                events.add(e);
            } catch (ParseException x) {
                failures.add(x.getMessage() + ": " + line);
            }
        }
        assertThat(failures).as("lines the %s parser refused", format).isEmpty();
        return events;
    }

    @ParameterizedTest
    @EnumSource(GenFormat.class)
    void hundredThousandLinesParseWithoutAFailure(GenFormat format) {
        List<LogEvent> events = parseAll(format, new Schedule(1000, 0, 0, 1), LINES, 42);
        assertThat(events).hasSize(LINES).allSatisfy(e -> assertThat(e.timestampMillis).isNotEqualTo(LogEvent.ABSENT));
        if (format == GenFormat.APACHE || format == GenFormat.NGINX) {
            assertThat(events).allSatisfy(e -> {
                assertThat(e.sourceIp).isNotNull();
                assertThat(e.statusCode).isBetween(100, 599);
            });
        } else {
            assertThat(events).allSatisfy(e -> assertThat(Vocabulary.SERVICES).contains((String) e.get("service.name")));
        }
    }

    /** Tolerance: each level's share within 1 percentage point of its target over 100,000 lines (7 standard deviations). */
    @ParameterizedTest
    @EnumSource(value = GenFormat.class, names = {"APP", "JSON"})
    void levelMixIsSeventyFifteenTenFive(GenFormat format) {
        Map<String, Integer> counts = new HashMap<>();
        for (LogEvent e : parseAll(format, new Schedule(1000, 0, 0, 1), LINES, 7)) {
            counts.merge(e.logLevel.toUpperCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("INFO", "WARN", "ERROR", "DEBUG");
        for (int i = 0; i < LineGenerator.LEVELS.size(); i++) {
            double share = 100.0 * counts.get(LineGenerator.LEVELS.get(i)) / LINES;
            assertThat(share).as(LineGenerator.LEVELS.get(i)).isCloseTo(LineGenerator.LEVEL_PERCENT[i],
                    org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(LINES);
    }

    /**
     * Rate and bursts, counted per second from the timestamps the Apache parser reads back (1 s
     * resolution): 100/s, and 500/s in the first 10 s of every minute. Tolerance: every second
     * within 2% of its target, except the one second at each burst edge, which mixes both rates.
     */
    @Test
    void rateAndBurstsHoldInTheEmittedTimestamps() {
        Schedule schedule = new Schedule(100, 60, 10, 5);
        int n = 3 * (50 * 100 + 10 * 500); // three whole minutes
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        for (LogEvent e : parseAll(GenFormat.APACHE, schedule, n, 3)) {
            perSecond.merge((e.timestampMillis - START.toEpochMilli()) / 1000, 1, Integer::sum);
        }
        assertThat(perSecond.firstKey()).isZero();
        assertThat(perSecond.lastKey()).isBetween(178L, 180L);
        int checked = 0;
        for (Map.Entry<Long, Integer> s : perSecond.entrySet()) {
            long inMinute = s.getKey() % 60;
            if (inMinute == 10 || inMinute == 0 || s.getKey() == perSecond.lastKey()) {
                continue; // a burst edge
            }
            int expected = inMinute < 10 ? 500 : 100;
            assertThat((double) s.getValue()).as("lines in second %d", s.getKey())
                    .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(2));
            checked++;
        }
        assertThat(checked).isGreaterThan(170);
        double seconds = perSecond.lastKey() + 1;
        double mean = n / seconds;
        assertThat(mean).isCloseTo((50 * 100 + 10 * 500) / 60.0, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void aShareOfBotsAndAttacks() {
        List<LogEvent> events = parseAll(GenFormat.NGINX, new Schedule(1000, 0, 0, 1), 20_000, 11);
        long bots = events.stream().filter(e -> Vocabulary.BOTS.contains(e.userAgent)).count();
        long attacks = events.stream().filter(e -> Vocabulary.ATTACK_PATHS.contains(e.urlOriginal)).count();
        // 5% and 2% targets; wide bounds, as the shares are drawn at random
        assertThat(bots).isBetween(800L, 1200L);
        assertThat(attacks).isBetween(300L, 500L);
    }

    @Test
    void sameSeedSameLinesOtherSeedOtherLines() {
        for (GenFormat f : GenFormat.values()) {
            LineGenerator a = new LineGenerator(f, new Schedule(50, 30, 5, 3), START, 99, 0.1, 0.1);
            LineGenerator b = new LineGenerator(f, new Schedule(50, 30, 5, 3), START, 99, 0.1, 0.1);
            LineGenerator c = new LineGenerator(f, new Schedule(50, 30, 5, 3), START, 100, 0.1, 0.1);
            StringBuilder sa = new StringBuilder();
            StringBuilder sb = new StringBuilder();
            StringBuilder sc = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                sa.append(a.next()).append('\n');
                sb.append(b.next()).append('\n');
                sc.append(c.next()).append('\n');
            }
            assertThat(sa.toString()).isEqualTo(sb.toString()).isNotEqualTo(sc.toString());
        }
    }
}
