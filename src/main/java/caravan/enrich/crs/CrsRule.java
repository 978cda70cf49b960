package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One compiled SecRule, SecAction or SecMarker. A chain is the first rule with {@link #next}
 * pointing at the following link; only the first link carries id, phase and the
 * disruptive/logging actions, as in SecLang.
 */
final class CrsRule {
    final String where;
    int id;
    int phase = 2;
    /** Set for a SecMarker: the name skipAfter jumps past. */
    String marker;
    final List<Target> targets = new ArrayList<>();
    final List<Target> exclusions = new ArrayList<>();
    Operator operator;
    boolean negated;
    String operatorText = "";
    final List<UnaryOperator<String>> transforms = new ArrayList<>();
    /** The transformation names, joined: the key of the per-request transformation cache. */
    String transformKey = "";
    boolean multiMatch;
    boolean capture;
    boolean log = true;
    boolean chain;
    CrsRule next;
    String msg;
    String severity;
    final List<String> tags = new ArrayList<>();
    final List<String> setvars = new ArrayList<>();
    final List<String> ctls = new ArrayList<>();
    String skipAfter;
    /** This link's bit in its transformation chain's prefilter, or -1 when the operator always runs. */
    int prefilterBit = -1;
    /** Whether the verdict on a value depends on nothing but the value (no capture read later, no macro, one pass). */
    boolean pure;

    CrsRule(String where) {
        this.where = where;
    }

    /** Whether this rule, or any link of its chain, carries {@code tag}. */
    boolean hasTag(String tag) {
        for (String t : tags) {
            if (t.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "rule " + id + " (" + where + ")";
    }
}
