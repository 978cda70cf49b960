package caravan.index;

/**
 * A document on its way to Elasticsearch, with the Kafka record it came from.
 *
 * @param id        the deterministic document id
 * @param index     the daily index
 * @param json      the document
 * @param partition the source record's partition
 * @param offset    the source record's offset
 * @param envelope  the original record value, kept unchanged for the dead-letter topic
 */
public record PendingDoc(String id, String index, byte[] json, int partition, long offset, byte[] envelope) {
}
