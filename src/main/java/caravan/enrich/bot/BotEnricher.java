package caravan.enrich.bot;

import caravan.enrich.Enricher;
import caravan.enrich.LastLookup;
import caravan.event.LogEvent;

/**
 * Sets {@code caravan.bot.is_bot}, {@code caravan.bot.name} and {@code caravan.bot.category} on
 * HTTP events, and {@code caravan.bot.verified} for crawlers whose networks are known when the
 * GeoIP step found the client's AS organisation (it runs first): false marks an impostor. A request without a user agent (absent, empty or {@code -}) is a bot of category
 * {@code empty_user_agent}: browsers always send one.
 *
 * <p>Results are cached by user-agent string (bounded): a log repeats a few thousand user agents
 * millions of times.
 */
public final class BotEnricher implements Enricher {
    static final String EMPTY_CATEGORY = "empty_user_agent";
    private static final BotRules.Bot HUMAN = new BotRules.Bot(null, null, false);

    private final BotRules rules;
    private final LastLookup<BotRules.Bot> last;

    public BotEnricher(BotRules rules, long cacheSize) {
        this.rules = rules;
        this.last = LastLookup.cached(cacheSize, this::classify);
    }

    @Override
    public void enrich(LogEvent e) {
        String ua = e.userAgent;
        if (ua == null || ua.isBlank() || ua.equals("-")) {
            if (e.method != null || e.urlOriginal != null) {
                e.put("caravan.bot.is_bot", Boolean.TRUE).put("caravan.bot.category", EMPTY_CATEGORY);
            }
            return;
        }
        BotRules.Bot bot = last.get(ua);
        e.put("caravan.bot.is_bot", bot.bot());
        if (bot.bot()) {
            e.put("caravan.bot.name", bot.name()).put("caravan.bot.category", bot.category());
            if (!bot.networks().isEmpty() && e.get("source.as.organization.name") instanceof String org) {
                // Anyone can send Googlebot's user agent; only Google's network sends it for real.
                e.put("caravan.bot.verified", fromNetwork(org, bot.networks()));
            }
        }
    }

    private static boolean fromNetwork(String org, java.util.List<String> networks) {
        String o = org.toLowerCase(java.util.Locale.ROOT);
        for (String n : networks) {
            if (o.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private BotRules.Bot classify(String ua) {
        BotRules.Bot b = rules.classify(ua);
        return b == null ? HUMAN : b;
    }

    @Override
    public String name() {
        return "bots";
    }
}
