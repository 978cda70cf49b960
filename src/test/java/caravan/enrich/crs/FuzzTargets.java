package caravan.enrich.crs;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The three targets {@link MutationFuzzer} drives, the same as {@link CrsFuzzTest}'s, with their
 * seeds: CRS's regression payloads and libinjection's vectors for the engine and the
 * transformations, CRS 4's own rules for the reader.
 */
final class FuzzTargets {
    /** Runs one input; {@code timed} measures a part of the work under a key of its own. */
    interface Target {
        void run(byte[] input, Timer timed) throws Exception;
    }

    /** Measures {@code work} on {@code bytes} bytes under {@code key}. */
    interface Timer {
        void time(String key, int bytes, Runnable work);
    }

    static final Path LIBINJECTION = Path.of("src/test/resources/libinjection/tests");
    private static final Path RULE_FILE = CrsFixtures.RULES.resolve("fuzz.conf");

    private FuzzTargets() {
    }

    static Target target(String name) {
        return switch (name) {
            case "engine" -> engine();
            case "transformations" -> FuzzTargets::transformations;
            case "ruleReader" -> (input, timer) -> timer.time("ruleReader", input.length,
                    () -> CrsFuzzTest.read(new String(input, StandardCharsets.UTF_8), RULE_FILE));
            default -> throw new IllegalArgumentException("no target " + name + ": engine, transformations or ruleReader");
        };
    }

    /**
     * The engine on access-log lines: the input is a request line, User-Agent and Referer separated by
     * newlines, written into a log line as Apache escapes it, parsed by Caravan's parser and evaluated
     * by CRS 4 at PL4. A line the parser refuses is counted, as the index route would dead-letter it.
     */
    private static Target engine() {
        CrsEngine engine = new CrsEngine(CrsFixtures.rules(), 4, 5);
        LineParser parser = Parsers.forFormat(CrsRegressionTest.FORMAT);
        return (input, timer) -> {
            List<byte[]> parts = split(input);
            String line = "127.0.0.1 - - [03/Dec/2026:00:00:00 +0000] \"" + escape(parts.get(0)) + "\" 200 0 \""
                    + escape(parts.get(2)) + "\" \"" + escape(parts.get(1)) + "\" \"fuzz.example\"";
            timer.time("engine", line.length(), () -> {
                LogEvent e = new LogEvent();
                try {
                    parser.parse(line, e);
                } catch (ParseException refused) {
                    timer.time("engine: lines the parser refused", 0, () -> { });
                    return;
                }
                engine.evaluate(RequestData.of(e, CrsFixtures.HEADERS));
            });
        };
    }

    /** Every transformation CRS 4 uses, one at a time, then the prefilter's literal extraction. */
    private static void transformations(byte[] input, Timer timer) {
        String bytes = new String(input, StandardCharsets.ISO_8859_1);
        for (String name : CrsFuzzTest.TRANSFORMS) {
            timer.time("t:" + name, input.length, () -> {
                String out = Transforms.named(name.toLowerCase(Locale.ROOT)).apply(bytes);
                if (out.length() > 8 * bytes.length() + 16) {
                    throw new IllegalStateException(name + " grew " + bytes.length() + " to " + out.length());
                }
            });
        }
        timer.time("RegexLiterals", input.length, () -> RegexLiterals.required(bytes));
    }

    static List<byte[]> seeds(String target) throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (target.equals("ruleReader")) {
            for (Path f : files(CrsFixtures.RULES, ".conf")) {
                for (String block : Files.readString(f, StandardCharsets.UTF_8).split("\n\\s*\n")) {
                    if (block.contains("SecRule") || block.contains("SecAction")) {
                        out.add(block.strip().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }
        for (CrsRegressionTest.Case c : CrsRegressionTest.cases(CrsFixtures.rules(), new ArrayList<>())) {
            LogEvent e = new LogEvent();
            try {
                Parsers.forFormat(CrsRegressionTest.FORMAT).parse(c.line(), e);
            } catch (ParseException bad) {
                continue;
            }
            String request = e.method + " " + e.urlOriginal + " HTTP/" + e.httpVersion;
            out.add(String.join("\n", request, nonNull(e.userAgent), nonNull(e.referrer)).getBytes(StandardCharsets.UTF_8));
        }
        for (Path f : files(LIBINJECTION, ".txt")) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1); // vectors hold raw bytes
            int in = text.indexOf("--INPUT--\n");
            int end = text.indexOf("\n--EXPECTED--");
            if (in >= 0 && end >= in + 10) {
                String payload = text.substring(in + 10, end);
                out.add(("GET /?q=" + payload + " HTTP/1.1\n" + payload + "\n-").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String nonNull(String s) {
        return s == null ? "-" : s;
    }

    /** The first three newline-separated parts of the input (missing ones empty). */
    private static List<byte[]> split(byte[] input) {
        List<byte[]> parts = new ArrayList<>(3);
        int from = 0;
        for (int i = 0; i <= input.length && parts.size() < 2; i++) {
            if (i == input.length || input[i] == '\n') {
                parts.add(java.util.Arrays.copyOfRange(input, from, i));
                from = Math.min(i + 1, input.length);
            }
        }
        parts.add(java.util.Arrays.copyOfRange(input, Math.min(from, input.length), input.length));
        while (parts.size() < 3) {
            parts.add(new byte[0]);
        }
        return parts;
    }

    /** As Apache writes bytes into its log: quote and backslash escaped, bytes outside printable ASCII as \xhh. */
    static String escape(byte[] b) {
        StringBuilder out = new StringBuilder(b.length + 16);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
