package caravan.enrich.crs;

import java.util.function.IntConsumer;

/** Rule id lists as SecLang writes them: {@code 942100}, {@code 920100-920199}, several separated by spaces or commas. */
final class RuleIds {
    /** Ranges wider than this are refused: an exclusion typo must not loop over millions of ids. */
    private static final int MAX_RANGE = 100_000;

    private RuleIds() {
    }

    static void parse(String text, IntConsumer each) {
        for (String part : text.strip().split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-', 1);
            try {
                if (dash < 0) {
                    each.accept(Integer.parseInt(part));
                } else {
                    int lo = Integer.parseInt(part.substring(0, dash));
                    int hi = Integer.parseInt(part.substring(dash + 1));
                    if (hi - lo > MAX_RANGE) {
                        throw new CrsException("rule id range " + part + " spans more than " + MAX_RANGE + " ids");
                    }
                    for (int id = lo; id <= hi; id++) {
                        each.accept(id);
                    }
                }
            } catch (NumberFormatException e) {
                throw new CrsException("not a rule id or range: " + part);
            }
        }
    }
}
