package caravan.ship;

/** Headers a source endpoint (the tailer) sets on each line for the ship route. */
public final class ShipHeaders {
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

    private ShipHeaders() {
    }
}
