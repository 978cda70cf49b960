package caravan.enrich.crs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Predicate;

/**
 * The libinjection checks behind {@code @detectSQLi} and {@code @detectXSS}, on byte strings.
 * With {@link #NONE} the rules using them are skipped and counted at start-up.
 */
public record Detectors(Predicate<String> sqli, Predicate<String> xss) {
    public static final Detectors NONE = new Detectors(null, null);

    /** Where the libinjection port lives ({@code isSqli(String)}, {@code isXss(String)}). */
    static final String LIBINJECTION = "caravan.enrich.crs.libinjection.LibInjection";

    /** Caravan's libinjection port if it is on the class path, else {@link #NONE}. */
    public static Detectors libinjection() {
        try {
            Class<?> c = Class.forName(LIBINJECTION);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType type = MethodType.methodType(boolean.class, String.class);
            return new Detectors(call(lookup.findStatic(c, "isSqli", type)), call(lookup.findStatic(c, "isXss", type)));
        } catch (ReflectiveOperationException e) {
            return NONE;
        }
    }

    private static Predicate<String> call(MethodHandle h) {
        return s -> {
            try {
                return (boolean) h.invokeExact(s);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
