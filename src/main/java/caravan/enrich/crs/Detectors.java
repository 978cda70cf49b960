package caravan.enrich.crs;

import caravan.enrich.crs.libinjection.LibInjection;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The libinjection checks behind {@code @detectSQLi} and {@code @detectXSS}, on byte strings
 * ({@link Bytes}). With {@link #NONE} the rules using them are skipped and counted at start-up.
 */
public record Detectors(Predicate<String> sqli, Predicate<String> xss) {
    public static final Detectors NONE = new Detectors(null, null);

    /** Caravan's libinjection port; the engine's values are already one char per byte. */
    public static Detectors libinjection() {
        return new Detectors(s -> LibInjection.isSqli(s.getBytes(StandardCharsets.ISO_8859_1)),
                s -> LibInjection.isXss(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
