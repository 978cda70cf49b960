package caravan.parse;

import caravan.event.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/** Test helper: the 10,000-line Apache combined corpus (a personal site's ordinary day), read and parsed. */
public final class Corpus {
    public static final Path COMBINED_10K = Path.of("src/test/resources/corpus/apache_combined_10k.log");

    private Corpus() {
    }

    public static List<String> lines() throws IOException {
        return Files.readAllLines(COMBINED_10K, StandardCharsets.UTF_8);
    }

    /**
     * Hands each corpus line that parses in {@code format} to {@code each} with its fresh event, and
     * returns how many did. A line that does not parse is skipped: in the pipeline it goes to the
     * dead-letter topic and never reaches the enrichers.
     */
    public static int parsed(String format, BiConsumer<String, LogEvent> each) throws IOException {
        return parsed(lines(), Parsers.forFormat(format), each);
    }

    /** The same over any lines and parser. */
    public static int parsed(List<String> lines, LineParser parser, BiConsumer<String, LogEvent> each) {
        int parsed = 0;
        for (String line : lines) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            each.accept(line, e);
            parsed++;
        }
        return parsed;
    }
}
