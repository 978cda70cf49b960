package caravan.enrich.crs;

import caravan.enrich.crs.RequestData.Var;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The request's values grouped by the variable that holds them, each with its cached verdicts, so
 * that a rule whose first link no value can match is passed over in a few byte reads: no variable
 * list built, no transformation, no operator. Which rules qualify is decided at load time
 * ({@link #kinds}); a rule that reads anything else (TX, a counted or keyed argument) always runs.
 */
final class RequestValues {
    private static final Map<String, Integer> SCALARS = Map.of("REQUEST_LINE", 0, "REQUEST_METHOD", 1,
            "REQUEST_PROTOCOL", 2, "REQUEST_URI", 3, "REQUEST_URI_RAW", 4, "REQUEST_FILENAME", 5, "REQUEST_BASENAME", 6,
            "QUERY_STRING", 7, "REMOTE_ADDR", 8);
    private static final String[] SCALAR_NAMES = new String[9];

    static {
        SCALARS.forEach((name, kind) -> SCALAR_NAMES[kind] = name);
    }

    private static final int ARGS = 9;
    private static final int ARGS_NAMES = 10;
    private static final int HEADERS = 11;
    private static final int HEADER_NAMES = 12;
    private static final int KINDS = 13;

    /** By kind, the memo of each value (null: the value is not cached, so anything may match it). */
    private final ValueMemo[][] memos = new ValueMemo[KINDS][];
    /** The lower-case header name of each value of kind {@link #HEADERS}. */
    private final String[] headerKeys;
    /**
     * The heads (by link index) that may match some value they read, whatever the exclusions: a
     * head not in it is passed over without a look at its values ({@link #mayMatch} would say no).
     */
    private final long[] candidates;
    /** By kind, the heads that read it ({@link CrsRuleSet#readers}). */
    private final long[][] readers;
    private static final ValueMemo[] NONE = new ValueMemo[0];

    RequestValues(RequestData request, Transaction tx) {
        readers = tx.readers();
        // A kind no head reads (REQUEST_METHOD, REQUEST_PROTOCOL at PL1) needs no cache lookup.
        for (int kind = 0; kind < SCALAR_NAMES.length; kind++) {
            String v = isEmpty(readers[kind]) ? null : request.scalar(SCALAR_NAMES[kind]);
            memos[kind] = v == null ? NONE : new ValueMemo[] {tx.slots.memo(tx.slots.slot(v), v)};
        }
        memos[ARGS] = of(request.args, false, ARGS, tx);
        memos[ARGS_NAMES] = of(request.args, true, ARGS_NAMES, tx);
        memos[HEADERS] = of(request.headers, false, HEADERS, tx);
        memos[HEADER_NAMES] = of(request.headers, true, HEADER_NAMES, tx);
        headerKeys = new String[request.headers.size()];
        for (int i = 0; i < headerKeys.length; i++) {
            headerKeys[i] = request.headers.get(i).lowerKey();
        }
        candidates = new long[readers[0].length];
        for (int kind = 0; kind < KINDS; kind++) {
            orLive(kind, candidates);
        }
    }

    /** ORs into {@code out} the heads that read kind {@code kind} and may match one of its values. */
    private void orLive(int kind, long[] out) {
        for (ValueMemo m : memos[kind]) {
            if (m == null) {
                for (int w = 0; w < out.length; w++) {
                    out[w] |= readers[kind][w];
                }
            } else {
                m.orLive(readers[kind], out);
            }
        }
    }

    /**
     * A ctl action took {@code targets} from {@code heads} for the rest of the request: a target
     * that names a whole kind of value (a scalar variable, all headers) no longer makes those heads
     * candidates. Other targets leave the candidates as they are; {@link #mayMatch} sees them.
     */
    void removed(BitSet heads, List<Target> targets) {
        for (Target t : targets) {
            int kind = wholeKind(t);
            if (kind < 0) {
                continue;
            }
            // Only the heads still candidates are looked at: few, where the tagged heads are many (941010's xss-perf-disable).
            for (int h = heads.nextSetBit(0); h >= 0; h = heads.nextSetBit(h + 1)) {
                if (candidate(h) && !liveOutside(kind, h)) {
                    candidates[h >>> 6] &= ~(1L << h);
                }
            }
        }
    }

    /** Whether head {@code h} reads a kind other than {@code kind} with a value it may match ({@link #orLive}'s bit). */
    private boolean liveOutside(int kind, int h) {
        for (int k = 0; k < KINDS; k++) {
            if (k == kind || (readers[k][h >>> 6] & 1L << h) == 0) {
                continue;
            }
            for (ValueMemo m : memos[k]) {
                if (m == null || m.live(h)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The kind whose every value {@code t} names ({@code REQUEST_FILENAME}, {@code REQUEST_HEADERS}), else -1. */
    private static int wholeKind(Target t) {
        if (t.key() != null || t.keyRegex() != null || t.count()) {
            return -1;
        }
        Integer scalar = SCALARS.get(t.collection());
        return scalar != null ? scalar : t.collection().equals("REQUEST_HEADERS") ? HEADERS : -1;
    }

    /**
     * By kind, the heads (as bits of their link index) whose first link reads values of that kind:
     * worked out once per rule set, after {@link #kinds}.
     */
    static long[][] readers(Iterable<CrsRule> heads, int links) {
        long[][] out = new long[KINDS][(links + 63) >>> 6];
        for (CrsRule head : heads) {
            int mask = head.valueKinds;
            for (Target x : head.exclusions) {
                int kind = wholeKind(x);
                mask &= kind < 0 ? -1 : ~(1 << kind); // the rule's own exclusion takes every such value
            }
            for (; mask != 0; mask &= mask - 1) {
                out[Integer.numberOfTrailingZeros(mask)][head.index >>> 6] |= 1L << head.index;
            }
        }
        return out;
    }

    private ValueMemo[] of(List<Var> vars, boolean names, int kind, Transaction tx) {
        if (vars.isEmpty() || isEmpty(readers[kind])) {
            return NONE;
        }
        ValueMemo[] out = new ValueMemo[vars.size()];
        for (int i = 0; i < out.length; i++) {
            String v = names ? vars.get(i).key() : vars.get(i).value();
            out[i] = tx.slots.memo(tx.slots.slot(v), v);
        }
        return out;
    }

    private static boolean isEmpty(long[] bits) {
        for (long w : bits) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the head with link index {@code index} may match some value it reads ({@link #candidates}). */
    boolean candidate(int index) {
        return (candidates[index >>> 6] & 1L << index) != 0;
    }

    /**
     * False only when every value the rule's first link reads is known not to match it. A value
     * the rule's exclusions or this request's ctl actions take away is never evaluated (so its
     * verdict stays unknown) and cannot match: it is passed over too, where the exclusion names it
     * exactly (a scalar variable, a header); any other exclusion leaves the answer to the rule.
     */
    boolean mayMatch(CrsRule head, Transaction tx) {
        if (!candidate(head.index)) {
            return false;
        }
        boolean anyExcluded = !head.exclusions.isEmpty() || tx.targetsRemoved(head);
        int mask = head.valueKinds;
        while (mask != 0) {
            int kind = Integer.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (kind < ARGS && anyExcluded && tx.excludes(head, SCALAR_NAMES[kind], null)) {
                continue;
            }
            ValueMemo[] ms = memos[kind];
            for (int i = 0; i < ms.length; i++) {
                if (kind == HEADERS && (head.headerKeys != null && !head.headerKeys.contains(headerKeys[i])
                        || anyExcluded && tx.excludes(head, "REQUEST_HEADERS", headerKeys[i]))) {
                    continue;
                }
                if (ms[i] == null || ms[i].verdict(head.index) != ValueMemo.NO_MATCH) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sets {@code head.valueKinds}: the kinds of request value its first link reads, as bits, or 0
     * when the rule must always run (it reads TX or a keyed argument, counts, or has a macro).
     */
    static void kinds(CrsRule head) {
        head.valueKinds = 0;
        if (!head.pure || head.targets.isEmpty() || head.operator == null) {
            return;
        }
        int mask = 0;
        List<String> keys = new ArrayList<>();
        boolean anyHeader = false;
        for (Target t : head.targets) {
            boolean whole = t.key() == null && t.keyRegex() == null;
            if (t.count() || t.keyRegex() != null) {
                return;
            }
            Integer scalar = SCALARS.get(t.collection());
            int kind;
            if (scalar != null && whole) {
                kind = scalar;
            } else if (t.collection().equals("REQUEST_HEADERS")) {
                kind = HEADERS;
                if (whole) {
                    anyHeader = true;
                } else {
                    keys.add(t.key());
                }
            } else if (whole && (t.collection().equals("ARGS") || t.collection().equals("ARGS_GET"))) {
                kind = ARGS;
            } else if (whole && (t.collection().equals("ARGS_NAMES") || t.collection().equals("ARGS_GET_NAMES"))) {
                kind = ARGS_NAMES;
            } else if (whole && t.collection().equals("REQUEST_HEADERS_NAMES")) {
                kind = HEADER_NAMES;
            } else {
                return;
            }
            mask |= 1 << kind;
        }
        head.headerKeys = anyHeader || keys.isEmpty() ? null : List.copyOf(keys);
        head.valueKinds = mask;
    }
}
