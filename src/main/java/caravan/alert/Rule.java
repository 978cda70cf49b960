package caravan.alert;

import java.time.Duration;
import java.util.List;

/**
 * One rule from {@code alerts.yaml}.
 *
 * @param dataset  the dataset it watches, or null for every dataset
 * @param cooldown how long a firing alert stays quiet before it is notified again
 * @param channels channel names: log, webhook, email, index
 */
public record Rule(String id, String type, String description, String severity, String dataset, Duration cooldown,
        List<String> channels, Detector detector) {

    public boolean appliesTo(String ds) {
        return dataset == null || dataset.equals(ds);
    }
}
