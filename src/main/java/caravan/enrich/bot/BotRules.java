package caravan.enrich.bot;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import caravan.enrich.match.AhoCorasick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which user agents are bots, and of what kind, from {@code bots.yaml}: the defaults in the jar,
 * with the operator's file checked first, so it can add bots, reclassify them, or mark a user
 * agent as not a bot ({@code bot: false}).
 *
 * <p>An entry matches when one of its tokens occurs in the user agent, ignoring case; a token
 * starting with {@code ^} must start the user agent ({@code ^curl/}). The first matching entry in
 * file order wins, so specific entries go before generic ones. All tokens of all entries are one
 * Aho–Corasick automaton: a user agent is scanned once, in linear time. Immutable, thread-safe.
 */
public final class BotRules {
    /** The default rules, on the classpath. */
    public static final String DEFAULT_RESOURCE = "caravan/enrich/bots.yaml";

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of(
            "name", "category", "tokens", "bot", "enabled", "matches", "ignores", "networks"));
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_]*");

    /**
     * A classification: {@code bot} false for entries that clear a user agent. {@code networks}:
     * the AS organisations the real crawler comes from (lower case; empty when not known).
     */
    public record Bot(String name, String category, boolean bot, List<String> networks) {
        public Bot(String name, String category, boolean bot) {
            this(name, category, bot, List.of());
        }
    }

    /** One entry of a rule file. {@code name} null means: named after the user agent's word that matched. */
    record Entry(String name, String category, boolean bot, List<String> tokens, List<String> networks, String source) {
    }

    private final List<Entry> entries;
    private final AhoCorasick automaton;
    private final int[] tokenEntry;
    private final boolean[] tokenAnchored;

    private BotRules(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        List<String> tokens = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<Boolean> anchored = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            for (String t : entries.get(i).tokens()) {
                boolean a = t.startsWith("^");
                tokens.add(a ? t.substring(1) : t);
                owner.add(i);
                anchored.add(a);
            }
        }
        automaton = AhoCorasick.of(tokens);
        tokenEntry = owner.stream().mapToInt(Integer::intValue).toArray();
        tokenAnchored = new boolean[anchored.size()];
        for (int i = 0; i < tokenAnchored.length; i++) {
            tokenAnchored[i] = anchored.get(i);
        }
    }

    /** The defaults, after the operator's file when {@code userFile} is given (null or blank for none). */
    public static BotRules load(String userFile) {
        List<RuleFile> files = new ArrayList<>();
        if (userFile != null && !userFile.isBlank()) {
            files.add(RuleFile.read(Path.of(userFile.trim())));
        }
        files.add(RuleFile.classpath(DEFAULT_RESOURCE));
        return of(files);
    }

    /** Entries from these files, in order: earlier files take precedence. */
    public static BotRules of(List<RuleFile> files) {
        List<Entry> entries = new ArrayList<>();
        for (RuleFile file : files) {
            for (RuleFile.Entry e : file.entries("bots")) {
                e.allowOnly(KEYS);
                if (!e.bool("enabled", true)) {
                    continue;
                }
                boolean bot = e.bool("bot", true);
                String category = bot ? e.string("category") : e.optionalString("category");
                if (category != null && !CATEGORY.matcher(category).matches()) {
                    throw e.error("category", "category '" + category + "' must be lower-case letters, digits or '_'");
                }
                List<String> tokens = new ArrayList<>();
                for (String t : e.strings("tokens")) {
                    if (t.equals("^")) {
                        throw e.error("tokens", "token '^' has nothing after the anchor");
                    }
                    tokens.add(t.toLowerCase(Locale.ROOT));
                }
                if (tokens.isEmpty()) {
                    throw e.error("tokens", "'tokens' is required: the words of the user agent that identify it");
                }
                List<String> networks = e.strings("networks").stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
                Entry entry = new Entry(e.optionalString("name"), category, bot, List.copyOf(tokens), networks,
                        e.source() + ":" + e.line());
                for (String ua : e.strings("matches")) {
                    if (!BotRules.of(entry).matches(ua)) {
                        throw new RuleFileException(e.source(), e.line(), "no token matches its own example '" + ua + "'");
                    }
                }
                for (String ua : e.strings("ignores")) {
                    if (BotRules.of(entry).matches(ua)) {
                        throw new RuleFileException(e.source(), e.line(), "a token matches '" + ua + "', which it lists under 'ignores'");
                    }
                }
                entries.add(entry);
            }
        }
        return new BotRules(entries);
    }

    private static BotRules of(Entry single) {
        return new BotRules(List.of(single));
    }

    private boolean matches(String ua) {
        return classify(ua) != null;
    }

    int size() {
        return entries.size();
    }

    /** The bot this user agent belongs to, or null when no entry matches. */
    public Bot classify(String ua) {
        int[] best = {Integer.MAX_VALUE, -1, 0}; // entry, where the token starts, its length
        automaton.scan(ua, (token, end) -> {
            int entry = tokenEntry[token];
            if (entry < best[0] && (!tokenAnchored[token] || end == automaton.length(token))) {
                best[0] = entry;
                best[1] = end - automaton.length(token);
                best[2] = automaton.length(token);
            }
        });
        if (best[1] < 0) {
            return null;
        }
        Entry e = entries.get(best[0]);
        String name = e.name() != null ? e.name() : nameFrom(ua, best[1], best[2]);
        return new Bot(name, e.category(), e.bot(), e.networks());
    }

    private static boolean delimiter(char c) {
        return c == ' ' || c == ';' || c == '(' || c == ')' || c == ',' || c == '"' || c == '[' || c == ']';
    }

    /**
     * A name for a generic entry's match: the product word the token sits in, without its version
     * ({@code SemrushBot/7~bl} gives {@code SemrushBot}). When that word says no more than the
     * token itself ({@code Feed Parser}) or is a URL ({@code +http://...}), the user agent's first
     * product other than {@code Mozilla} ({@code SimplePie}, {@code SiteExplorer}).
     */
    static String nameFrom(String ua, int at, int tokenLength) {
        int from = at;
        while (from > 0 && !delimiter(ua.charAt(from - 1))) {
            from--;
        }
        int to = at;
        while (to < ua.length() && !delimiter(ua.charAt(to))) {
            to++;
        }
        String word = product(ua.substring(from, to));
        if (word != null && word.length() > tokenLength) {
            return word;
        }
        int i = 0;
        while (i < ua.length()) {
            while (i < ua.length() && delimiter(ua.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < ua.length() && !delimiter(ua.charAt(i))) {
                i++;
            }
            String p = product(ua.substring(start, i));
            if (p != null && !p.equalsIgnoreCase("mozilla") && !p.equalsIgnoreCase("compatible")) {
                return p;
            }
        }
        return word != null ? word : "unknown";
    }

    /** A word without its {@code /version}, or null for an empty word, a URL, or a version number. */
    private static String product(String word) {
        int slash = word.indexOf('/');
        if (slash >= 0) {
            if (word.startsWith("//", slash) || slash == 0) {
                return null;
            }
            word = word.substring(0, slash);
        }
        if (word.isEmpty() || word.startsWith("+") || word.endsWith(":") || Character.isDigit(word.charAt(0))) {
            return null;
        }
        return word;
    }
}
