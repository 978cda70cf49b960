package caravan.ship.tail;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The {@code tail:} endpoint's options for following a file through rotation (see Identity). */
@UriParams
public class RotationOptions {
    /** The copy window when neither the route nor the component sets one. */
    static final long DEFAULT_COPY_WINDOW_MS = 60_000;

    @UriParam(label = "rotation", defaultValue = "30000", description = "Milliseconds a renamed-away or deleted file is"
            + " kept open after it stops growing, for writers that have not reopened yet.")
    private long drainTimeout = 30_000;

    @UriParam(label = "rotation", defaultValue = "60000", description = "Milliseconds a file holding the same bytes as"
            + " a file being read is held after it stops growing, in case it is a copytruncate copy and its original is"
            + " truncated next; if not, it is read in full as a file of its own. Also how long after a truncation a copy"
            + " is taken for the truncated file's copy. Longer than logrotate takes to copy and truncate your largest"
            + " file. Unset: the component's copyWindow (caravan.ship.tail.copy-window-ms).")
    private Long copyWindow;

    public long getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(long drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    /** The route's own setting, or null: then the component's. */
    public Long getCopyWindow() {
        return copyWindow;
    }

    public void setCopyWindow(Long copyWindow) {
        this.copyWindow = copyWindow;
    }
}
