package caravan.it;

/**
 * Sizes of the fault-injection tests. By default they run the sizes the guarantees are stated for
 * (100,000 lines with a 30 s Elasticsearch outage, 200,000 lines with SIGKILLs): about 4 minutes
 * on 2 cores. {@code -Dcaravan.it.quick=true} runs a fifth of
 * that while working on them. Each size can also be set on its own.
 */
final class ItSizes {
    static final boolean FULL = !Boolean.getBoolean("caravan.it.quick");

    private ItSizes() {
    }

    static int get(String name, int byDefault, int full) {
        return Integer.getInteger("caravan.it." + name, FULL ? full : byDefault);
    }
}
