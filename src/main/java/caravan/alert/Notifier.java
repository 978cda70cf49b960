package caravan.alert;

/** One way out for alerts. A failing notifier is logged and counted; it never stops the evaluation. */
public interface Notifier {
    /** The channel name rules use in {@code notify}. */
    String channel();

    void send(AlertEvent event) throws Exception;
}
