package caravan.it;

import caravan.event.DocumentIds;
import caravan.event.Envelope;
import caravan.event.LogEvent;
import caravan.parse.Corpus;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Envelopes for {@code logs-raw} built from the 10k combined corpus, as the shipper would make them
 * for a few big files (spread over partitions by their keys): line i goes to file i mod files, at
 * its byte offset there. Producing them directly keeps the index tests independent of the tailer's
 * speed, and their document ids are known in advance.
 */
final class Lines {
    static final Path CORPUS = Corpus.COMBINED_10K;
    private static List<String> parseable;

    final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    final Set<String> ids = new LinkedHashSet<>();
    final String host;
    private final String[] fileIds;
    private final long[] offsets;
    private int next;

    Lines(String host, String fileId) {
        this(host, fileId, 1);
    }

    Lines(String host, String fileIdPrefix, int files) {
        this.host = host;
        this.fileIds = new String[files];
        this.offsets = new long[files];
        for (int i = 0; i < files; i++) {
            fileIds[i] = files == 1 ? fileIdPrefix : fileIdPrefix + "-" + i;
        }
    }

    static List<String> corpus() throws Exception {
        return Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
    }

    /** The corpus lines that the combined parser accepts today, so tests expect no parse failures. */
    static synchronized List<String> parseableCorpus() throws Exception {
        if (parseable == null) {
            List<String> ok = new ArrayList<>();
            for (String line : corpus()) {
                try {
                    Parsers.forFormat("combined").parse(line, new LogEvent());
                    ok.add(line);
                } catch (ParseException e) {
                    // left out
                }
            }
            parseable = List.copyOf(ok);
        }
        return parseable;
    }

    /** Appends {@code n} corpus lines that parse, round-robin over the files. */
    Lines corpusLines(int n) throws Exception {
        List<String> corpus = parseableCorpus();
        for (int i = 0; i < n; i++) {
            line(corpus.get(i % corpus.size()), "combined");
        }
        return this;
    }

    /** Appends one line with a format to the next file; returns its document id. */
    String line(String message, String format) {
        int f = next++ % fileIds.length;
        String path = "/var/log/apache2/" + fileIds[f] + ".log";
        Envelope env = new Envelope(message, path, offsets[f], host, "apache.access", "2026-11-24T04:05:06.789Z", "web",
                "it-source", format, fileIds[f]);
        String id = DocumentIds.of(host, fileIds[f], offsets[f]);
        offsets[f] += message.getBytes(StandardCharsets.UTF_8).length + 1;
        records.add(new ProducerRecord<>("ignored", env.key(), env.toJson()));
        ids.add(id);
        return id;
    }

    /** Appends a record that is not an envelope at all; it has no document id. */
    void raw(byte[] value) {
        records.add(new ProducerRecord<>("ignored", host + ":/var/log/apache2/" + fileIds[0] + ".log", value));
    }
}
