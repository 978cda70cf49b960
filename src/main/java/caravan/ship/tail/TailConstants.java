package caravan.ship.tail;

import org.apache.camel.spi.Metadata;

/**
 * The tail: component's names: the headers it sets on each line (or on each element of a batch),
 * and the exchange property through which the route says which lines of a failed batch its
 * destination acknowledged anyway.
 */
public final class TailConstants {
    @Metadata(description = "The path the file was first seen at", javaType = "String")
    public static final String FILE_PATH = "CaravanFilePath";
    @Metadata(description = "Byte offset of the line's (or event's) first byte in its file", javaType = "long")
    public static final String OFFSET = "CaravanOffset";
    @Metadata(description = "The file identity: stable across renames, restarts and copytruncate copies", javaType = "String")
    public static final String FILE_ID = "CaravanFileId";
    @Metadata(description = "The endpoint's format option", javaType = "String")
    public static final String FORMAT = "CaravanFormat";
    @Metadata(description = "The endpoint's service option", javaType = "String")
    public static final String SERVICE = "CaravanService";
    @Metadata(description = "The endpoint's dataset option", javaType = "String")
    public static final String DATASET = "CaravanDataset";
    @Metadata(description = "The route id", javaType = "String")
    public static final String SOURCE = "CaravanSource";
    @Metadata(description = "The host option, or this machine's name", javaType = "String")
    public static final String HOST = "CaravanHost";
    /** Boolean, set (true) only when the line was cut at the source's size limit. */
    @Metadata(description = "True when the line was cut at maxLineBytes (or the multiline limits); absent otherwise", javaType = "Boolean")
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
