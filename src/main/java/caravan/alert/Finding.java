package caravan.alert;

/**
 * One thing a detector found in a window.
 *
 * @param subject what it is about: the dataset, a client IP or an endpoint; part of the alert's key
 * @param value   the measured value that crossed the line
 * @param message one sentence for a human, with the numbers
 */
public record Finding(String subject, double value, String message) {
}
