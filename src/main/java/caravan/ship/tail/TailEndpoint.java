package caravan.ship.tail;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One tailed path (or glob) and how its lines are labelled. */
public class TailEndpoint extends DefaultEndpoint {
    private final String path;
    private String format = "combined";
    private String service;
    private String dataset;
    private String host;
    private String startPosition = "beginning";
    private long pollDelay = 200;
    private String checkpointDir = "data/checkpoints";

    public TailEndpoint(String uri, TailComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tail: is a consumer only; use it in from()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TailConsumer consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getPath() {
        return path;
    }

    public String getFormat() {
        return format;
    }

    /** The parser spec for these lines, e.g. {@code combined}; travels in the envelope. */
    public void setFormat(String format) {
        this.format = format;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public String getDataset() {
        return dataset;
    }

    /** The ECS event.dataset; defaults to what the format's parser says. */
    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    public String getHost() {
        return host;
    }

    /** The host.name to stamp; defaults to this machine's name. */
    public void setHost(String host) {
        this.host = host;
    }

    public String getStartPosition() {
        return startPosition;
    }

    /** For a file seen for the first time: {@code beginning} or {@code end}. */
    public void setStartPosition(String startPosition) {
        this.startPosition = startPosition;
    }

    public String getCheckpointDir() {
        return checkpointDir;
    }

    /** Where read positions are kept across restarts. */
    public void setCheckpointDir(String checkpointDir) {
        this.checkpointDir = checkpointDir;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    /** Milliseconds between looks at a file that had nothing new. */
    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }
}
