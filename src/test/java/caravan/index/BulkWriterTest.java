package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class BulkWriterTest {

    @Test
    void requestsAreCappedByDocumentsAndBytes() {
        List<PendingDoc> docs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            docs.add(doc(i, 100));
        }
        assertThat(BulkWriter.chunks(docs, 4, 1_000_000)).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(BulkWriter.chunks(docs, 1000, 350)).extracting(List::size).containsExactly(3, 3, 3, 1);
        assertThat(BulkWriter.chunks(docs, 1000, 1_000)).extracting(List::size).containsExactly(10);
        assertThat(BulkWriter.chunks(List.of(), 10, 10)).isEmpty();
    }

    @Test
    void aDocumentLargerThanTheByteCapGoesAlone() {
        List<PendingDoc> docs = List.of(doc(0, 10), doc(1, 5_000), doc(2, 10), doc(3, 10));
        assertThat(BulkWriter.chunks(docs, 100, 100)).extracting(List::size).containsExactly(1, 1, 2);
    }

    @Test
    void noStatusWhenTheRequestGotNoAnswer() {
        assertThat(BulkWriter.httpStatus(new ExecutionException(new java.net.ConnectException("refused")))).isEqualTo(-1);
    }

    private static PendingDoc doc(int i, int bytes) {
        return new PendingDoc("id" + i, "logs-a-b-2026.11.24", new byte[bytes], "a", "s",
                new RecordOrigin("raw", 0, i, null, new byte[0], 0, null));
    }
}
