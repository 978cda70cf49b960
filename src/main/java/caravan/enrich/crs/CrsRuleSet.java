package caravan.enrich.crs;

import caravan.enrich.crs.SecLangReader.Directive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded CRS: the request-phase rules in order (phase 1, then phase 2), the markers skipAfter
 * jumps to, and what was left out. Files load in name order, as CRS's include does;
 * {@code crs-setup.conf} is not read: Caravan's settings set what it would.
 */
public final class CrsRuleSet {
    private static final Logger LOG = LoggerFactory.getLogger(CrsRuleSet.class);

    final List<CrsRule> phase1 = new ArrayList<>();
    final List<CrsRule> phase2 = new ArrayList<>();
    private final Map<String, Integer> markers1 = new HashMap<>();
    private final Map<String, Integer> markers2 = new HashMap<>();
    private final List<RuleLoader.Skipped> skipped;
    private final int files;
    final Prefilter prefilter;
    /** What each {@code TX:/regex/} target selects of each snapshot's TX map. */
    final TxSelections txSelections = new TxSelections();
    /** How many rule links, and distinct transformation chains, there are: the size of a {@link ValueMemo}. */
    final int links;
    final int chains;
    /**
     * By phase, each list entry as the walk first needs it, in flat arrays: [0] the head's link index
     * (-1 for a marker), [1] its value kinds; so a rule no value can match is passed over without
     * reading the rule itself.
     */
    final int[][] walk1;
    final int[][] walk2;

    private static int[][] walk(List<CrsRule> list) {
        int[][] out = new int[2][list.size()];
        for (int i = 0; i < list.size(); i++) {
            CrsRule r = list.get(i);
            out[0][i] = r.marker != null ? -1 : r.index;
            out[1][i] = r.marker != null ? 0 : r.valueKinds;
        }
        return out;
    }

    /** By kind of request value, the heads that read it ({@link RequestValues#readers}). */
    final long[][] readers;
    /** Rule heads by id and by lower-case tag, as bit sets of their indexes, for ctl:ruleRemoveBy*. */
    private final Map<Integer, BitSet> headsById = new HashMap<>();
    private final Map<String, BitSet> headsByTag = new HashMap<>();
    private static final BitSet NONE = new BitSet();
    /** The deadline for compiling a regex, also for those a ctl action with a macro names per request. */
    final long regexCompileMillis;
    private final Map<String, Ctl> ctls = new java.util.concurrent.ConcurrentHashMap<>();

    private CrsRuleSet(List<CrsRule> rules, List<RuleLoader.Skipped> skipped, int files, long regexCompileMillis) {
        this.regexCompileMillis = regexCompileMillis;
        this.skipped = skipped;
        this.files = files;
        for (CrsRule r : rules) {
            if (r.marker != null) {
                markers1.putIfAbsent(r.marker, phase1.size());
                markers2.putIfAbsent(r.marker, phase2.size());
                phase1.add(r);
                phase2.add(r);
            } else {
                (r.phase == 1 ? phase1 : phase2).add(r);
            }
        }
        Map<String, Integer> chains = new HashMap<>();
        int n = 0;
        for (CrsRule head : rules) {
            for (CrsRule link = head; link != null; link = link.next) {
                link.index = n++;
                link.chainId = chains.computeIfAbsent(link.transformKey, k -> chains.size());
                Target only = link.targets.size() == 1 && link.exclusions.isEmpty() ? link.targets.get(0) : null;
                boolean oneTx = only != null && only.collection().equals("TX") && only.key() != null;
                link.txKey = oneTx && link.operator != null ? only.key() : null;
                link.txCount = link.txKey != null && only.count();
            }
            RequestValues.kinds(head);
        }
        this.links = n;
        this.chains = chains.size();
        this.readers = RequestValues.readers(rules, n);
        this.walk1 = walk(phase1);
        this.walk2 = walk(phase2);
        this.prefilter = new Prefilter(rules, this.chains);
        for (CrsRule r : rules) {
            if (r.skipAfter != null) {
                r.skipTo1 = afterMarker(1, r.skipAfter);
                r.skipTo2 = afterMarker(2, r.skipAfter);
            }
            if (r.marker == null) {
                headsById.computeIfAbsent(r.id, k -> new BitSet()).set(r.index);
                for (String tag : r.tags) {
                    headsByTag.computeIfAbsent(tag.toLowerCase(Locale.ROOT), k -> heads(h -> h.hasTag(k)));
                }
            }
        }
    }

    /**
     * Loads every {@code *.conf} of {@code dir} (name order) between the operator's exclusion files.
     *
     * @param headers the request headers the access log records, lower-case
     * @param exclusions extra start-up exclusions: rule ids/ranges, tags, {@code id;TARGET} pairs
     * @param regexCompileMillis the deadline for compiling each regex, {@code caravan.enrich.crs.regex-compile-timeout-ms}
     */
    public static CrsRuleSet load(Path dir, List<Path> before, List<Path> after, Detectors detectors,
            Set<String> headers, Exclusions exclusions, long regexCompileMillis) {
        List<Path> files = new ArrayList<>(before);
        files.addAll(confFiles(dir));
        files.addAll(after);
        RuleLoader loader = new RuleLoader(detectors, headers, regexCompileMillis);
        long millis = loader.regexCompileMillis;
        Set<Integer> removeIds = new HashSet<>(exclusions.ids());
        Set<String> removeTags = new HashSet<>(exclusions.tags());
        Map<Integer, List<Target>> updateById = new HashMap<>();
        exclusions.targets().forEach((id, t) -> updateById.computeIfAbsent(id, k -> new ArrayList<>())
                .addAll(Target.parseList(t, "caravan.enrich.crs.exclude-targets", millis)));
        Map<String, List<Target>> updateByTag = new HashMap<>();
        for (Path f : files) {
            for (Directive d : SecLangReader.read(f)) {
                try {
                    switch (d.name().toLowerCase(Locale.ROOT)) {
                        case "secrule", "secaction" -> loader.add(d);
                        case "secmarker" -> loader.marker(d);
                        case "secruleremovebyid" -> d.args().forEach(a -> RuleIds.parse(a, removeIds::add));
                        case "secruleremovebytag" -> removeTags.addAll(d.args());
                        case "secruleupdatetargetbyid" -> RuleIds.parse(arg(d, 0), id -> updateById
                                .computeIfAbsent(id, k -> new ArrayList<>()).addAll(Target.parseList(arg(d, 1), d.where(), millis)));
                        case "secruleupdatetargetbytag" -> updateByTag.computeIfAbsent(arg(d, 0), k -> new ArrayList<>())
                                .addAll(Target.parseList(arg(d, 1), d.where(), millis));
                        default -> {
                            if (!d.name().startsWith("Sec")) {
                                throw new CrsException(d.where() + ": unknown directive " + d.name());
                            }
                        }
                    }
                } catch (CrsException e) {
                    throw e.getMessage().startsWith(f.getFileName().toString()) ? e
                            : new CrsException(d.where() + ": " + e.getMessage(), e);
                }
            }
            loader.end(f);
        }
        List<CrsRule> rules = new ArrayList<>();
        for (CrsRule r : loader.rules) {
            if (r.marker == null && (removeIds.contains(r.id) || removeTags.stream().anyMatch(r::hasTag))) {
                continue;
            }
            update(r, updateById.get(r.id));
            updateByTag.forEach((tag, targets) -> update(r, r.hasTag(tag) ? targets : null));
            rules.add(r);
        }
        CrsRuleSet set = new CrsRuleSet(rules, loader.skipped, files.size(), millis);
        set.logSummary(dir);
        return set;
    }

    private static String arg(Directive d, int i) {
        if (d.args().size() <= i) {
            throw new CrsException(d.where() + ": " + d.name() + " needs " + (i + 1) + " arguments");
        }
        return d.args().get(i);
    }

    private static void update(CrsRule r, List<Target> targets) {
        if (targets == null || r.marker != null) {
            return;
        }
        for (Target t : targets) {
            (t.exclude() ? r.exclusions : r.targets).add(t);
        }
    }

    private static List<Path> confFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .filter(p -> !p.getFileName().toString().equals("crs-setup.conf"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new CrsException("caravan.enrich.crs.dir " + dir + ": cannot list the rule files: " + e.getMessage(), e);
        }
    }

    private void logSummary(Path dir) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (RuleLoader.Skipped s : skipped) {
            String kind = kind(s.reason());
            reasons.merge(kind, 1, Integer::sum);
            if (kind.equals("regex RE2 cannot compile") || kind.equals("other")) {
                LOG.warn("CRS rule {} at {} skipped: {}", s.id(), s.where(), s.reason());
            }
        }
        LOG.info("CRS from {}: {} request rules in force from {} files; skipped {} rules an access log cannot feed: {}",
                dir, size(), files, skipped.size(), reasons);
    }

    private static String kind(String reason) {
        if (reason.startsWith("response phase")) {
            return "response";
        }
        if (reason.startsWith("reads only")) {
            return reason.contains("REQUEST_BODY") || reason.contains("XML") || reason.contains("FILES")
                    || reason.contains("MULTIPART") || reason.contains("REQBODY") ? "request body" : "other variables";
        }
        if (reason.startsWith("RE2")) {
            return "regex RE2 cannot compile";
        }
        return reason.contains("libinjection") ? "no libinjection" : "other";
    }

    /** The rules in force (chains counted once). */
    public int size() {
        return (int) Stream.concat(phase1.stream(), phase2.stream()).filter(r -> r.marker == null).count();
    }

    /** Every rule left out, as {@code id where: reason}. */
    public List<String> skipped() {
        return skipped.stream().map(s -> s.id() + " " + s.where() + ": " + s.reason()).toList();
    }

    /** Null if rule {@code id} runs here, else why not. */
    public String whyNotInForce(int id) {
        for (List<CrsRule> list : List.of(phase1, phase2)) {
            for (CrsRule r : list) {
                if (r.id == id && r.marker == null) {
                    return null;
                }
            }
        }
        for (RuleLoader.Skipped s : skipped) {
            if (s.id() == id) {
                return s.reason();
            }
        }
        return "not among the rules loaded (removed or unknown)";
    }

    /** The heads (by {@link CrsRule#index}) with rule id {@code id}; empty if none. Shared: never modify. */
    BitSet headsWithId(int id) {
        return headsById.getOrDefault(id, NONE);
    }

    /** The heads carrying {@code tag} (compared without case). Shared: never modify. */
    BitSet headsTagged(String tag) {
        BitSet known = headsByTag.get(tag);
        return known != null ? known : heads(r -> r.hasTag(tag));
    }

    private BitSet heads(java.util.function.Predicate<CrsRule> which) {
        BitSet out = new BitSet();
        for (List<CrsRule> list : List.of(phase1, phase2)) {
            for (CrsRule r : list) {
                if (r.marker == null && which.test(r)) {
                    out.set(r.index);
                }
            }
        }
        return out;
    }

    /** A macro-free ctl action, parsed on first use (their number is bounded by the rules'). */
    Ctl ctl(String spec) {
        return ctls.computeIfAbsent(spec, k -> Ctl.parse(k, this));
    }

    /** The index just past marker {@code name} in the phase's list, or the end. */
    int afterMarker(int phase, String name) {
        Integer i = (phase == 1 ? markers1 : markers2).get(name);
        return i == null ? (phase == 1 ? phase1 : phase2).size() : i + 1;
    }
}
