package caravan.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The engine behind {@code caravan.elasticsearch.urls} and its version, as {@code GET /} tells them,
 * and what Caravan does differently on each.
 *
 * @param product  elasticsearch or opensearch
 * @param version  the version number as the server gives it, e.g. {@code 8.19.21}
 */
public record SearchEngine(Product product, String version, int major, int minor) {

    public enum Product {
        ELASTICSEARCH("Elasticsearch"), OPENSEARCH("OpenSearch");

        private final String label;

        Product(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Reads the answer to {@code GET /}. OpenSearch names itself in {@code version.distribution};
     * Elasticsearch has no such field and sends {@code X-Elastic-Product} (null if absent).
     *
     * @throws SearchRefused when the answer is from neither (a proxy's page, another product)
     */
    public static SearchEngine fromRoot(JsonNode root, String elasticProductHeader) {
        JsonNode v = root.path("version");
        String number = v.path("number").asText("");
        String distribution = v.path("distribution").asText("").toLowerCase(Locale.ROOT);
        Product product;
        if (distribution.equals("opensearch")) {
            product = Product.OPENSEARCH;
        } else if (distribution.isEmpty() && !number.isEmpty()
                && ("Elasticsearch".equals(elasticProductHeader) || "You Know, for Search".equals(root.path("tagline").asText()))) {
            product = Product.ELASTICSEARCH;
        } else {
            throw new SearchRefused(SearchRefused.Kind.UNSUPPORTED, "the server at caravan.elasticsearch.urls is not "
                    + "Elasticsearch or OpenSearch (GET / answered distribution '" + distribution + "', version '" + number
                    + "'): point caravan.elasticsearch.urls at an Elasticsearch 8/9 or OpenSearch 2/3 node");
        }
        String[] parts = number.split("[.-]");
        int major = parts.length > 0 ? parseInt(parts[0]) : -1;
        int minor = parts.length > 1 ? parseInt(parts[1]) : -1;
        return new SearchEngine(product, number, major, minor);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Null when Caravan supports this engine and version, else the line that says why not. */
    public String unsupported() {
        boolean ok = switch (product) {
            case ELASTICSEARCH -> major == 9 || (major == 8 && minor >= 0);
            case OPENSEARCH -> major == 2 || major == 3;
        };
        return ok ? null : this + " is not supported: Caravan runs on Elasticsearch 8.x and 9.x and OpenSearch 2.x and 3.x";
    }

    public boolean isOpenSearch() {
        return product == Product.OPENSEARCH;
    }

    /** The lifecycle API the engine offers, where a plug-in or licence provides it: ILM or ISM. */
    public String lifecycleApi() {
        return isOpenSearch() ? "ISM" : "ILM";
    }

    @Override
    public String toString() {
        return product.label() + " " + version;
    }
}
