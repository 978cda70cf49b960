package caravan.index;

/**
 * A document on its way to Elasticsearch, with the Kafka record it came from.
 *
 * @param id      the deterministic document id
 * @param index   the daily index
 * @param json    the document
 * @param dataset the dataset, for metrics and the DLQ
 * @param source  the envelope's caravan.source
 * @param origin  the source record, kept unchanged for the dead-letter topic
 * @param contentHash the hash of the record's content, also in the document, for {@link ConflictCheck}; or null
 * @param readMillis  when the shipper read the line (epoch ms, {@code event.created}), for
 *                    {@link DeliveryDelay}; {@link DeliveryDelay#UNKNOWN} when the envelope has no readable time
 */
public record PendingDoc(String id, String index, byte[] json, String dataset, String source, RecordOrigin origin,
                         String contentHash, long readMillis) {
    public PendingDoc(String id, String index, byte[] json, String dataset, String source, RecordOrigin origin) {
        this(id, index, json, dataset, source, origin, null, DeliveryDelay.UNKNOWN);
    }

    public int partition() {
        return origin.partition();
    }

    public long offset() {
        return origin.offset();
    }

    public byte[] envelope() {
        return origin.value();
    }
}
