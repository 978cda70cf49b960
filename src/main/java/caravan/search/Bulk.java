package caravan.search;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.http.HttpEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Cancellable;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * The {@code _bulk} API as plain NDJSON, the same on every engine and version: {@code create}
 * operations (a deterministic id already present is a 409, not a second copy) and their per-item
 * results in order.
 */
public final class Bulk {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    /** One document to create. */
    public record Create(String index, String id, byte[] json) {
    }

    /** One item's result: its HTTP status, and the error's type and reason when it failed. */
    public record Item(int status, String errorType, String errorReason) {
        public boolean failed() {
            return errorType != null || status >= 300;
        }
    }

    private Bulk() {
    }

    /** The request body as bytes: an action line and the document, each ending in a newline. */
    public static byte[] body(List<Create> docs) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            new BulkBody(docs, NDJSON).writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not from a byte array stream
        }
        return out.toByteArray();
    }

    /** Sends one bulk request; the future fails with the client's exception when there is no bulk answer. */
    public static CompletableFuture<List<Item>> send(RestClient client, List<Create> docs) {
        return send(client, new BulkBody(docs, NDJSON));
    }

    /** Sends one bulk request of a body already made (an NDJSON entity), as {@link #send(RestClient, List)}. */
    public static CompletableFuture<List<Item>> send(RestClient client, HttpEntity body) {
        Request r = new Request("POST", "/_bulk");
        r.addParameter("filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason");
        r.setEntity(body);
        CompletableFuture<List<Item>> result = new CompletableFuture<>();
        Cancellable c = client.performRequestAsync(r, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try (InputStream in = response.getEntity().getContent()) {
                    result.complete(items(in));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Exception e) {
                result.completeExceptionally(e);
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                c.cancel();
            }
        });
        return result;
    }

    /** The items of a bulk response, in request order. */
    public static List<Item> items(InputStream in) throws IOException {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("bulk response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        p.nextToken(); // the operation's name: {"create": {...}}
                        p.nextToken();
                        items.add(item(p));
                        p.nextToken(); // end of the wrapper object
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return items;
    }

    private static Item item(JsonParser p) throws IOException {
        int status = 0;
        String type = null;
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("status")) {
                status = p.getIntValue();
            } else if (field.equals("error") && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("type")) {
                        type = p.getText();
                    } else if (f.equals("reason")) {
                        reason = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new Item(status, type, reason);
    }
}
