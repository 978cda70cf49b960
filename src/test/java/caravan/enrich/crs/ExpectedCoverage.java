package caravan.enrich.crs;

/** The coverage CrsRegressionTest holds the engine to: issue 16's 95% for both kinds of case. */
final class ExpectedCoverage {
    static final double EXPECT_IDS_PERCENT = 95;
    static final double NO_EXPECT_IDS_PERCENT = 95;

    private ExpectedCoverage() {
    }
}
