package caravan.ship.tail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The {@code tail:} endpoint's options for its checkpoint file. */
@UriParams
public class CheckpointOptions {
    @UriParam(label = "checkpoint", defaultValue = "data/checkpoints", description = "Directory of the checkpoint"
            + " files (one JSON file per endpoint).")
    private String checkpointDir = "data/checkpoints";

    @UriParam(label = "checkpoint", description = "The checkpoint file's name without .json; defaults to one"
            + " derived from the path. Set it to keep the checkpoints when you change the path.")
    private String checkpointName;

    @UriParam(label = "checkpoint", defaultValue = "1000", description = "Milliseconds between checkpoint writes"
            + " (also written on stop). A crash repeats at most what Kafka acknowledged in this time.")
    private long checkpointInterval = 1000;

    @UriParam(label = "checkpoint", defaultValue = "86400000", description = "Milliseconds after which the checkpoint of"
            + " a file that is gone is dropped.")
    private long forgetAfter = 86_400_000;

    /** The checkpoint file of the endpoint that follows {@code path}. */
    Path file(String path) {
        String name = checkpointName;
        if (name == null || name.isEmpty()) {
            String clean = path.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+", "");
            if (clean.length() > 60) {
                clean = clean.substring(clean.length() - 60);
            }
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            name = clean + "-" + Hashes.hex(Hashes.hash(p, 0, p.length)).substring(0, 8);
        }
        return Path.of(checkpointDir).resolve(name + ".json");
    }

    public String getCheckpointDir() {
        return checkpointDir;
    }

    public void setCheckpointDir(String checkpointDir) {
        this.checkpointDir = checkpointDir;
    }

    public String getCheckpointName() {
        return checkpointName;
    }

    public void setCheckpointName(String checkpointName) {
        this.checkpointName = checkpointName;
    }

    public long getCheckpointInterval() {
        return checkpointInterval;
    }

    public void setCheckpointInterval(long checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
    }

    public long getForgetAfter() {
        return forgetAfter;
    }

    public void setForgetAfter(long forgetAfter) {
        this.forgetAfter = forgetAfter;
    }
}
