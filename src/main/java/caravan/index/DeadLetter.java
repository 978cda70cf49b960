package caravan.index;

/**
 * One record on its way to the dead-letter topic.
 *
 * @param origin    the record as read, with its original bytes
 * @param stage     where it failed (see {@link DlqHeaders#STAGE})
 * @param reason    why, in words
 * @param exception the exception class, or Elasticsearch's error type
 * @param status    Elasticsearch's item status, 0 when not from Elasticsearch
 * @param dataset   the dataset, when known
 * @param source    the envelope's caravan.source, when known
 * @param failedAt  ISO-8601 time of this failure
 */
public record DeadLetter(RecordOrigin origin, String stage, String reason, String exception, int status,
                         String dataset, String source, String failedAt) {
}
