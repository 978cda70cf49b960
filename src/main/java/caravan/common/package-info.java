/**
 * Ground floor: the mechanisms every stage shares. Metrics, safe logging of untrusted text,
 * throttling, files reloaded at run time and rule-file reading, secrets from files or the
 * environment, time arguments, the one capped backoff, typed reads of settings.
 *
 * <p>Imports nothing of Caravan: every other package may import it.
 */
package caravan.common;
