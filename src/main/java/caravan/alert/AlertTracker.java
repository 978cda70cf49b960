package caravan.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns findings into notifications. An alert is keyed by rule, dataset and subject: the first
 * finding notifies, later findings stay quiet until the rule's cooldown has passed (then one
 * reminder), and the first evaluation of that rule and dataset without the finding resolves it.
 * Time here is the windows' event time, so a replay of old data behaves like the live run did.
 */
public final class AlertTracker {
    private record Active(AlertEvent firing, Instant lastNotified) {
    }

    private final String mode;
    private final Map<String, Active> active = new LinkedHashMap<>();

    /** @param mode "live" or "backfill": stored with the alerts, so live state is never mixed with a replay */
    public AlertTracker(String mode) {
        this.mode = mode;
    }

    /** Takes over alerts still firing (read back from the alerts index by a new lease holder). */
    public void restore(List<AlertEvent> firing) {
        firing.forEach(e -> active.put(e.key(), new Active(e, e.window())));
    }

    /** Datasets with an alert still firing: they are evaluated even in a window without events, so they can resolve. */
    public Set<String> activeDatasets() {
        Set<String> out = new HashSet<>();
        active.values().forEach(a -> out.add(a.firing().dataset()));
        return out;
    }

    public List<AlertEvent> firing() {
        return active.values().stream().map(Active::firing).toList();
    }

    /** The events to notify after {@code rule} was evaluated on one dataset's window. */
    public List<AlertEvent> update(Rule rule, String dataset, Instant window, List<Finding> findings) {
        List<AlertEvent> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Finding f : findings) {
            String key = AlertEvent.key(rule.id(), dataset, f.subject());
            seen.add(key);
            Active a = active.get(key);
            if (a == null) {
                AlertEvent e = event(rule, dataset, f, AlertEvent.Status.FIRING, window, window);
                active.put(key, new Active(e, window));
                out.add(e);
            } else if (!Duration.between(a.lastNotified(), window).minus(rule.cooldown()).isNegative() && !rule.cooldown().isZero()) {
                AlertEvent e = event(rule, dataset, f, AlertEvent.Status.FIRING, a.firing().firstFired(), window);
                active.put(key, new Active(e, window));
                out.add(e);
            }
        }
        String prefix = rule.id() + "|" + dataset + "|";
        for (Iterator<Map.Entry<String, Active>> it = active.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Active> a = it.next();
            if (a.getKey().startsWith(prefix) && !seen.contains(a.getKey())) {
                AlertEvent was = a.getValue().firing();
                out.add(new AlertEvent(was.key(), AlertEvent.Status.RESOLVED, rule.id(), rule.severity(), rule.description(),
                        dataset, was.subject(), was.value(), "resolved: " + was.message(), was.firstFired(), window, mode,
                        rule.channels()));
                it.remove();
            }
        }
        return out;
    }

    /** Alerts of rules that no longer exist (removed from alerts.yaml): resolved, so nothing stays firing forever. */
    public List<AlertEvent> dropRulesOtherThan(Set<String> ruleIds, Instant window) {
        List<AlertEvent> out = new ArrayList<>();
        for (Iterator<Active> it = active.values().iterator(); it.hasNext();) {
            AlertEvent was = it.next().firing();
            if (!ruleIds.contains(was.ruleId())) {
                out.add(new AlertEvent(was.key(), AlertEvent.Status.RESOLVED, was.ruleId(), was.severity(), was.description(),
                        was.dataset(), was.subject(), was.value(), "resolved (rule removed): " + was.message(), was.firstFired(),
                        window, mode, List.of("log", "index")));
                it.remove();
            }
        }
        return out;
    }

    private AlertEvent event(Rule rule, String dataset, Finding f, AlertEvent.Status status, Instant first, Instant window) {
        return new AlertEvent(AlertEvent.key(rule.id(), dataset, f.subject()), status, rule.id(), rule.severity(),
                rule.description(), dataset, f.subject(), f.value(), f.message(), first, window, mode, rule.channels());
    }
}
