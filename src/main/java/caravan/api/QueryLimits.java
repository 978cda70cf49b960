package caravan.api;

/**
 * What keeps one search from hurting the cluster: a {@code q} cannot start a term with a wildcard
 * (a scan of every term) unless allowed, its regular expressions ({@code /.../}) are bounded in
 * length, every search has a timeout, and each shard stops collecting after a number of documents.
 *
 * @param allowLeadingWildcard {@code caravan.api.allow-leading-wildcard}
 * @param maxRegexLength       {@code caravan.api.max-regex-length}, in characters
 * @param timeout              {@code caravan.api.timeout}, an Elasticsearch time value such as {@code 10s}
 * @param terminateAfter       {@code caravan.api.terminate-after}: documents per shard, 0 for no cap
 */
public record QueryLimits(boolean allowLeadingWildcard, int maxRegexLength, String timeout, long terminateAfter) {

    /** Refuses a query whose regular expression is longer than allowed; Lucene's {@code /regex/} syntax. */
    void checkRegexes(String q) {
        int open = -1;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (c == '/') {
                if (open < 0) {
                    open = i;
                } else {
                    if (i - open - 1 > maxRegexLength) {
                        throw new BadRequest("parameter 'q': a regular expression of " + (i - open - 1)
                                + " characters is over caravan.api.max-regex-length (" + maxRegexLength + ")");
                    }
                    open = -1;
                }
            }
        }
        if (open >= 0 && q.length() - open - 1 > maxRegexLength) {
            throw new BadRequest("parameter 'q': a regular expression of " + (q.length() - open - 1)
                    + " characters is over caravan.api.max-regex-length (" + maxRegexLength + ")");
        }
    }
}
