/**
 * Roof: the CLI, the settings loaded once ({@link caravan.ops.Settings}, handing each stage its
 * typed record), and the wiring of routes, beans, health and reloads: one camel-main context per half
 * ({@link caravan.ops.PipelineHalf}), the ship half started first ({@link caravan.ops.CaravanRuntime}).
 *
 * <p>Imports every stage; no package imports it. The devstack (tests and the demo) is found
 * through {@link caravan.ops.LocalStack}'s service loader and never compiled into the jar.
 */
package caravan.ops;
