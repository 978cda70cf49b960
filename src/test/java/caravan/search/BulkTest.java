package caravan.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTest {

    @Test
    void theBodyIsOneActionLineAndOneDocumentLinePerDocument() {
        byte[] body = Bulk.body(List.of(
                new Bulk.Create("logs-a-b-2026.12.03", "id1", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)),
                new Bulk.Create("logs-a-b-2026.12.02", "id2", "{\"y\":\"é\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("""
                {"create":{"_index":"logs-a-b-2026.12.03","_id":"id1"}}
                {"x":1}
                {"create":{"_index":"logs-a-b-2026.12.02","_id":"id2"}}
                {"y":"é"}
                """);
    }

    @Test
    void theEntityStreamsTheSameBytesAgainAndAgainWhateverTheReadSize() throws Exception {
        List<Bulk.Create> docs = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(new Bulk.Create("logs-d" + i / 100 + "-x-2026.12.03", "id" + i,
                    ("{\"n\":" + i + ",\"s\":\"" + "\u00e9".repeat(i % 7) + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        byte[] body = Bulk.body(docs);
        assertThat(new String(body, StandardCharsets.UTF_8).split("\n")).hasSize(600)
                .contains("{\"create\":{\"_index\":\"logs-d2-x-2026.12.03\",\"_id\":\"id299\"}}");
        BulkBody entity = new BulkBody(docs, org.apache.http.entity.ContentType.APPLICATION_JSON);
        assertThat(entity.getContentLength()).isEqualTo(body.length);
        assertThat(entity.isRepeatable()).isTrue();
        for (int chunk : new int[] {1, 7, 4096, body.length + 5}) {
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            try (java.io.InputStream in = entity.getContent()) {
                byte[] buf = new byte[chunk];
                for (int n; (n = in.read(buf, 0, chunk)) != -1; ) {
                    read.write(buf, 0, n);
                }
            }
            assertThat(read.toByteArray()).as("read %d at a time", chunk).isEqualTo(body);
        }
        assertThat(entity.getContent().readAllBytes()).isEqualTo(body);
    }

    @Test
    void theAsyncClientGetsTheSameBytesWhateverTheSocketTakesAndAgainAfterARetry() throws Exception {
        List<Bulk.Create> docs = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) { // over two chunks
            docs.add(new Bulk.Create("logs-d" + i / 100 + "-x-2026.12.05", "id" + i,
                    ("{\"n\":" + i + ",\"s\":\"" + "x\u00e9".repeat(60 + i % 90) + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        byte[] body = Bulk.body(docs);
        assertThat(body.length).isGreaterThan(2 * BulkBody.CHUNK);
        BulkBody entity = new BulkBody(docs, org.apache.http.entity.ContentType.APPLICATION_JSON);
        for (int take : new int[] {1, 1000, 8192, BulkBody.CHUNK + 1, Integer.MAX_VALUE}) {
            Socket socket = new Socket(take);
            int calls = 0;
            while (!socket.completed) {
                entity.produceContent(socket, null);
                assertThat(++calls).as("calls until complete").isLessThan(2 * body.length + 10);
            }
            assertThat(socket.taken.toByteArray()).as("the socket taking %d bytes a write", take).isEqualTo(body);
            entity.close(); // what the client does after each attempt
        }
    }

    /** A socket that takes at most {@code take} bytes per write, and nothing on the write after that. */
    private static final class Socket implements org.apache.http.nio.ContentEncoder {
        final java.io.ByteArrayOutputStream taken = new java.io.ByteArrayOutputStream();
        final int take;
        boolean full;
        boolean completed;

        Socket(int take) {
            this.take = take;
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            assertThat(completed).isFalse();
            if (full) {
                full = false;
                return 0;
            }
            int n = Math.min(take, src.remaining());
            byte[] b = new byte[n];
            src.get(b);
            taken.writeBytes(b);
            full = src.hasRemaining();
            return n;
        }

        @Override
        public void complete() {
            completed = true;
        }

        @Override
        public boolean isCompleted() {
            return completed;
        }
    }

    @Test
    void itemsAreReadInOrderWithTheirErrors() throws Exception {
        // A response as an engine sends it, with fields Caravan asks filter_path to drop left in.
        String response = """
                {"took":3,"errors":true,"items":[
                 {"create":{"_index":"i","_id":"1","_version":1,"result":"created","status":201,
                   "_shards":{"total":1,"successful":1,"failed":0}}},
                 {"create":{"_index":"i","_id":"2","status":409,"error":{"type":"version_conflict_engine_exception",
                   "reason":"[2]: version conflict, document already exists","index":"i","shard":"0"}}},
                 {"create":{"_index":"i","_id":"3","status":400,"error":{"type":"strict_dynamic_mapping_exception",
                   "reason":"mapping set to strict, dynamic introduction of [user] within [_doc] is not allowed",
                   "caused_by":{"type":"x","reason":"y"}}}},
                 {"create":{"status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}]}""";
        List<Bulk.Item> items = Bulk.items(new ByteArrayInputStream(response.getBytes(StandardCharsets.UTF_8)));
        assertThat(items).containsExactly(
                new Bulk.Item(201, null, null),
                new Bulk.Item(409, "version_conflict_engine_exception", "[2]: version conflict, document already exists"),
                new Bulk.Item(400, "strict_dynamic_mapping_exception",
                        "mapping set to strict, dynamic introduction of [user] within [_doc] is not allowed"),
                new Bulk.Item(429, "es_rejected_execution_exception", "queue full"));
        assertThat(items.get(0).failed()).isFalse();
        assertThat(items.get(2).failed()).isTrue();
    }
}
