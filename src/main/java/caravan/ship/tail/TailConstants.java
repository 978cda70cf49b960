package caravan.ship.tail;

/**
 * The tail: component's names: the headers it sets on each line (or on each element of a batch),
 * and the exchange property through which the route says which lines of a failed batch its
 * destination acknowledged anyway.
 */
public final class TailConstants {
    public static final String FILE_PATH = "CaravanFilePath";
    public static final String OFFSET = "CaravanOffset";
    public static final String FILE_ID = "CaravanFileId";
    public static final String FORMAT = "CaravanFormat";
    public static final String SERVICE = "CaravanService";
    public static final String DATASET = "CaravanDataset";
    public static final String SOURCE = "CaravanSource";
    public static final String HOST = "CaravanHost";
    /** Boolean, set (true) only when the line was cut at the source's size limit. */
    public static final String TRUNCATED = "CaravanTruncated";
    /**
     * Exchange property a route may set to a {@link LineAcknowledgement}: when a batch's exchange
     * fails, the lines it answers true for count as delivered and are not read again. Unset, a
     * failed batch is read again from its first line.
     */
    public static final String LINE_ACKNOWLEDGEMENT = "CaravanTailLineAcknowledgement";

    private TailConstants() {
    }
}
