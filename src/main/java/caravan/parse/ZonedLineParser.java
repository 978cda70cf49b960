package caravan.parse;

import java.time.ZoneId;

/** A parser of one dataset whose times without a zone are read in the configured one. */
abstract class ZonedLineParser implements LineParser {
    /** The zone of times written without one. */
    protected final ZoneId zone;
    private final String dataset;

    ZonedLineParser(ZoneId zone, String dataset) {
        this.zone = zone;
        this.dataset = dataset;
    }

    @Override
    public final String dataset() {
        return dataset;
    }
}
