/**
 * Stage: alerting. Window statistics from the indexed logs, detectors, rules from
 * {@code alerts.yaml}, notifiers, and the lease that lets one process of many do the work
 * (route {@code analyse}).
 *
 * <p>Imports the ground floor only.
 */
package caravan.alert;
