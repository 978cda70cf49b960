package caravan.it;

/**
 * Sizes of the fault-injection tests. By default they are sized to keep the suite short on a small
 * shared machine; {@code -Dcaravan.it.full=true} runs the sizes of issue 6 (100,000 lines with a
 * 30 s Elasticsearch outage, 200,000 lines with SIGKILLs). Each size can also be set on its own.
 */
final class ItSizes {
    static final boolean FULL = Boolean.getBoolean("caravan.it.full");

    private ItSizes() {
    }

    static int get(String name, int byDefault, int full) {
        return Integer.getInteger("caravan.it." + name, FULL ? full : byDefault);
    }
}
