package caravan.enrich.crs;

/** The coverage CrsRegressionTest holds the engine to: the measured figure, rounded down. */
final class ExpectedCoverage {
    static final double EXPECT_IDS_PERCENT = 0;
    static final double NO_EXPECT_IDS_PERCENT = 0;

    private ExpectedCoverage() {
    }
}
