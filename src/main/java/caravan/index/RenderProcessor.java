package caravan.index;

import caravan.index.IndexBatch.Item;
import caravan.parse.LogEvent;
import caravan.ship.Envelope;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Renders each parsed, enriched event as its Elasticsearch document: the envelope's metadata in
 * ECS names, the deterministic id, and the daily index by the event's own time.
 */
public final class RenderProcessor implements Processor {
    private final String namespace;
    private final ThreadLocal<EcsJsonWriter> writers = ThreadLocal.withInitial(EcsJsonWriter::new);

    public RenderProcessor(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        EcsJsonWriter writer = writers.get();
        String ingested = Timestamps.iso(System.currentTimeMillis());
        for (Item item : batch.items()) {
            batch.docs().add(render(item, ingested, writer));
        }
        batch.items().clear();
    }

    PendingDoc render(Item item, String ingested, EcsJsonWriter writer) {
        LogEvent event = item.event();
        Envelope env = item.envelope();
        if (event.timestampMillis == LogEvent.ABSENT) {
            event.timestampMillis = createdMillis(env);
        }
        event.put("host.name", env.host())
                .put("log.file.path", env.path())
                .put("service.name", env.service())
                .put("event.dataset", item.dataset())
                .put("event.ingested", ingested)
                .put("caravan.source", env.source());
        if (event.message == null) {
            event.message = env.message();
        }
        if (env.offset() >= 0) {
            event.put("log.offset", env.offset());
        }
        return new PendingDoc(DocumentIds.of(env.host(), env.fileId(), env.offset()),
                IndexNames.daily(item.dataset(), namespace, event.timestampMillis),
                writer.write(event), item.partition(), item.offset(), item.value());
    }

    private static long createdMillis(Envelope env) {
        try {
            return Instant.parse(env.created()).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
