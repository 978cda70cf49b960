package caravan.enrich.crs;

import caravan.enrich.crs.RequestData.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request's evaluation state: the TX collection, what the last rule matched, the exclusions
 * that {@code ctl:} actions made for the rest of this request, and a cache of transformed values
 * (rules share transformation chains, so each value is transformed once per chain).
 */
final class Transaction {
    final RequestData request;
    final Map<String, String> tx;
    final List<CrsRule> fired = new ArrayList<>();
    List<Var> matchedVars = List.of();
    String matchedVar = "";
    String matchedVarName = "";
    CrsRule current;
    private final Set<Integer> removedIds = new HashSet<>();
    private final Set<String> removedTags = new HashSet<>();
    private final Map<Integer, List<Target>> removedTargets = new HashMap<>();
    private final Map<String, List<Target>> removedTargetsByTag = new HashMap<>();
    private final Map<String, String> transformed = new HashMap<>();

    private final Prefilter prefilter;
    private final Map<String, java.util.BitSet> prefiltered = new HashMap<>();

    Transaction(RequestData request, Map<String, String> initialTx, Prefilter prefilter) {
        this.request = request;
        this.prefilter = prefilter;
        this.tx = new HashMap<>(initialTx);
    }

    boolean removed(CrsRule r) {
        if (removedIds.contains(r.id)) {
            return true;
        }
        if (removedTags.isEmpty()) {
            return false;
        }
        for (String tag : removedTags) {
            if (r.hasTag(tag)) {
                return true;
            }
        }
        return false;
    }

    /** The values a rule link reads, after its own and this request's exclusions. */
    List<Var> values(CrsRule link, CrsRule head) {
        List<Var> out = new ArrayList<>();
        for (Target t : link.targets) {
            collect(t, out);
        }
        List<Target> runtime = removedTargets.get(head.id);
        if (out.isEmpty() || (link.exclusions.isEmpty() && runtime == null && removedTargetsByTag.isEmpty())) {
            return out;
        }
        out.removeIf(v -> excluded(v, link.exclusions) || (runtime != null && excluded(v, runtime))
                || excludedByTag(v, head));
        return out;
    }

    private boolean excludedByTag(Var v, CrsRule head) {
        for (Map.Entry<String, List<Target>> e : removedTargetsByTag.entrySet()) {
            if (head.hasTag(e.getKey()) && excluded(v, e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean excluded(Var v, List<Target> exclusions) {
        String key = v.key() == null ? null : v.key().toLowerCase(Locale.ROOT);
        for (Target x : exclusions) {
            if (x.collection().equals(v.collection()) && (x.key() == null && x.keyRegex() == null || key != null && x.selects(key))) {
                return true;
            }
        }
        return false;
    }

    private void collect(Target t, List<Var> out) {
        int before = out.size();
        switch (t.collection()) {
            case "ARGS", "ARGS_GET" -> select(t, request.args, t.collection(), false, out);
            case "ARGS_NAMES", "ARGS_GET_NAMES" -> select(t, request.args, t.collection(), true, out);
            case "REQUEST_HEADERS" -> select(t, request.headers, "REQUEST_HEADERS", false, out);
            case "REQUEST_HEADERS_NAMES" -> select(t, request.headers, "REQUEST_HEADERS_NAMES", true, out);
            case "MATCHED_VARS" -> select(t, matchedVars, "MATCHED_VARS", false, out);
            case "MATCHED_VARS_NAMES" -> {
                for (Var v : matchedVars) {
                    out.add(new Var("MATCHED_VARS_NAMES", v.name(), v.name()));
                }
            }
            case "TX" -> {
                for (Map.Entry<String, String> e : tx.entrySet()) {
                    if (t.selects(e.getKey())) {
                        out.add(new Var("TX", e.getKey(), e.getValue()));
                    }
                }
            }
            case "MATCHED_VAR" -> out.add(new Var("MATCHED_VAR", null, matchedVar));
            case "MATCHED_VAR_NAME" -> out.add(new Var("MATCHED_VAR_NAME", null, matchedVarName));
            default -> {
                String v = request.scalar(t.collection());
                if (v != null) {
                    out.add(new Var(t.collection(), null, v));
                }
            }
        }
        if (t.count()) {
            int n = out.size() - before;
            out.subList(before, out.size()).clear();
            out.add(new Var("&" + t.collection(), t.key(), Integer.toString(n)));
        }
    }

    private static void select(Target t, List<Var> from, String collection, boolean names, List<Var> out) {
        for (Var v : from) {
            if (t.key() == null && t.keyRegex() == null || t.selects(v.key().toLowerCase(Locale.ROOT))) {
                out.add(new Var(collection, v.key(), names ? v.key() : v.value()));
            }
        }
    }

    /** The value after the link's transformations, cached for this request. */
    String transform(CrsRule link, String value) {
        if (link.transforms.isEmpty()) {
            return value;
        }
        String key = link.transformKey + '\0' + value;
        String t = transformed.get(key);
        if (t == null) {
            t = value;
            for (var f : link.transforms) {
                t = f.apply(t);
            }
            transformed.put(key, t);
        }
        return t;
    }

    /** False when the prefilter shows the link's operator cannot match this transformed value. */
    boolean mayMatch(CrsRule link, String transformedValue) {
        String key = link.transformKey + '\0' + transformedValue;
        java.util.BitSet hits = prefiltered.get(key);
        if (hits == null) {
            hits = prefilter.scan(link.transformKey, transformedValue);
            prefiltered.put(key, hits);
        }
        return hits.get(link.prefilterBit);
    }

    void capture(int group, String value) {
        tx.put(Integer.toString(group), value == null ? "" : value);
    }

    /** Replaces {@code %{tx.name}}, {@code %{MATCHED_VAR}}, {@code %{rule.id}} and the like. */
    String expand(String text) {
        int open = text.indexOf("%{");
        if (open < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (open >= 0) {
            int close = text.indexOf('}', open);
            if (close < 0) {
                break;
            }
            out.append(text, i, open).append(macro(text.substring(open + 2, close)));
            i = close + 1;
            open = text.indexOf("%{", i);
        }
        return out.append(text, i, text.length()).toString();
    }

    private String macro(String name) {
        int dot = name.indexOf('.');
        String collection = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT);
        String key = dot < 0 ? null : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String v = switch (collection) {
            case "TX" -> tx.get(key);
            case "MATCHED_VAR" -> matchedVar;
            case "MATCHED_VAR_NAME" -> matchedVarName;
            case "RULE" -> "id".equals(key) && current != null ? Integer.toString(current.id) : null;
            case "REQUEST_HEADERS" -> key == null ? null : request.header(key);
            default -> request.scalar(collection);
        };
        return v == null ? "" : v;
    }

    /** {@code tx.name=value}, {@code tx.name=+n}, {@code tx.name=-n}, {@code !tx.name}; other collections ignored. */
    void setvar(String spec) {
        String s = spec.strip();
        boolean delete = s.startsWith("!");
        if (delete) {
            s = s.substring(1);
        }
        int eq = s.indexOf('=');
        String name = expand(eq < 0 ? s : s.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        if (!name.startsWith("tx.")) {
            return;
        }
        String key = name.substring(3);
        if (delete) {
            tx.remove(key);
            return;
        }
        String value = eq < 0 ? "1" : expand(s.substring(eq + 1));
        if (value.startsWith("+") || value.startsWith("-")) {
            long base = Operators.number(tx.getOrDefault(key, "0"));
            long delta = Operators.number(value.substring(1));
            value = Long.toString(value.charAt(0) == '+' ? base + delta : base - delta);
        }
        tx.put(key, value);
    }

    /** The {@code ctl:} actions that exclude rules or targets for the rest of this request. */
    void ctl(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return;
        }
        String what = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String arg = expand(spec.substring(eq + 1).strip());
        switch (what) {
            case "ruleremovebyid" -> RuleIds.parse(arg, removedIds::add);
            case "ruleremovebytag" -> removedTags.add(arg);
            case "ruleremovetargetbyid", "ruleremovetargetbytag" -> {
                int semi = arg.indexOf(';');
                if (semi < 0) {
                    return;
                }
                List<Target> targets = Target.parseList(arg.substring(semi + 1), "ctl:" + what);
                String subject = arg.substring(0, semi).strip();
                if (what.equals("ruleremovetargetbytag")) {
                    removedTargetsByTag.computeIfAbsent(subject, k -> new ArrayList<>()).addAll(targets);
                } else {
                    RuleIds.parse(subject, id -> removedTargets.computeIfAbsent(id, k -> new ArrayList<>()).addAll(targets));
                }
            }
            default -> {
                // engine, audit and body-processor controls change nothing an access log can show
            }
        }
    }
}
