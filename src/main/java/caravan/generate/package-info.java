/**
 * {@code caravan generate}: synthetic web and application logs for demos, benches and soaks.
 *
 * <p>Output is a pure function of the options and the seed: timestamps come from a {@link Schedule}
 * that starts at a given instant, never from the wall clock, so the same seed gives the same bytes.
 * The package stands alone; only its tests use the parsers, to prove every line is parseable.
 */
package caravan.generate;
