package caravan.enrich.crs;

import caravan.enrich.crs.SecLangReader.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Turns SecLang directives into {@link CrsRule}s. What an access log cannot feed (request bodies,
 * response phases, headers the log does not record) is not an error: the rule is skipped with a
 * reason, for {@link CrsRuleSet} to count. What Caravan cannot read is a {@link CrsException}
 * naming the file and line.
 */
final class RuleLoader {
    /** A rule left out, and why. */
    record Skipped(int id, String where, String reason) {
    }

    private static final Set<String> VALUES = Set.of("REQUEST_LINE", "REQUEST_METHOD", "REQUEST_PROTOCOL",
            "REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_FILENAME", "REQUEST_BASENAME", "QUERY_STRING", "REMOTE_ADDR",
            "MATCHED_VAR", "MATCHED_VAR_NAME", "ARGS_COMBINED_SIZE", "ARGS", "ARGS_GET", "ARGS_NAMES",
            "ARGS_GET_NAMES", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "TX", "MATCHED_VARS", "MATCHED_VARS_NAMES");

    /** Actions that change nothing an access log verdict depends on. */
    private static final Set<String> IGNORED_ACTIONS = Set.of("block", "pass", "deny", "drop", "allow", "status",
            "redirect", "proxy", "ver", "rev", "maturity", "accuracy", "logdata", "auditlog", "noauditlog", "expirevar",
            "initcol", "setenv", "setsid", "setuid", "sanitisematched", "sanitisearg", "sanitizematched", "sanitizearg",
            "append", "prepend", "exec", "pause", "deprecatevar", "xmlns", "skip", "sanitisematchedbytes",
            "sanitizematchedbytes", "t", "msg", "severity");

    private static final Set<String> NEED_VALUE = Set.of("id", "phase", "t", "severity", "tag", "msg", "setvar",
            "ctl", "skipafter");

    private final Detectors detectors;
    private final Set<String> headers;
    /** The deadline for compiling each regex, {@code caravan.enrich.crs.regex-compile-timeout-ms}. */
    final long regexCompileMillis;
    final List<CrsRule> rules = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    private CrsRule chainHead;
    private CrsRule chainTail;
    private String chainSkip;

    /**
     * @param headers the lower-case request headers the log records
     * @param regexCompileMillis the deadline for compiling each regex (positive)
     */
    RuleLoader(Detectors detectors, Set<String> headers, long regexCompileMillis) {
        this.detectors = detectors;
        this.headers = headers;
        this.regexCompileMillis = RegexCompiler.checkedTimeout(regexCompileMillis);
    }

    /** Adds a SecRule or SecAction; other directives are the rule set's business. */
    void add(Directive d) {
        String where = d.where();
        boolean action = d.name().equalsIgnoreCase("SecAction");
        int need = action ? 1 : 2;
        if (d.args().size() < need) {
            throw new CrsException(where + ": " + d.name() + " needs " + (action ? "actions" : "variables and an operator"));
        }
        CrsRule r = new CrsRule(where);
        String skip = null;
        if (!action) {
            skip = targets(r, d.args().get(0), where);
            String op = d.args().get(1);
            try {
                operator(r, op, d.file().toAbsolutePath().getParent());
            } catch (Operators.Unsupported e) {
                skip = skip == null ? e.getMessage() : skip;
            }
        } else {
            r.operator = (v, tx, c) -> true;
        }
        int at = action ? 0 : 2;
        String actions = d.args().size() > at ? d.args().get(at) : "";
        actions(r, actions, where, chainHead != null);
        // A cached match is run again when the link captures, so captures never depend on the cache.
        r.pure = !r.operatorText.contains("%{");
        if (chainHead == null) {
            chainHead = r;
            chainSkip = skip;
        } else {
            chainTail.next = r;
            chainSkip = chainSkip == null ? skip : chainSkip;
        }
        chainTail = r;
        if (!r.chain) {
            finish();
        }
    }

    void marker(Directive d) {
        if (chainHead != null) {
            throw new CrsException(d.where() + ": SecMarker inside a chain");
        }
        CrsRule m = new CrsRule(d.where());
        m.marker = d.args().isEmpty() ? "" : d.args().get(0);
        rules.add(m);
    }

    void end(Path file) {
        if (chainHead != null) {
            throw new CrsException(file.getFileName() + ": the chain started at " + chainHead.where + " never ends");
        }
    }

    private void finish() {
        CrsRule head = chainHead;
        String skip = chainSkip;
        chainHead = null;
        chainTail = null;
        chainSkip = null;
        if (head.phase > 2 && skip == null) {
            skip = "response phase " + head.phase;
        }
        if (skip != null) {
            skipped.add(new Skipped(head.id, head.where, skip));
        } else {
            rules.add(head);
        }
    }

    /** Fills the rule's targets; returns why the rule cannot run here, or null. */
    private String targets(CrsRule r, String text, String where) {
        List<String> missing = new ArrayList<>();
        for (Target t : Target.parseList(text, where, regexCompileMillis)) {
            if (t.exclude()) {
                r.exclusions.add(t);
            } else if (supported(t)) {
                r.targets.add(t);
            } else {
                missing.add(t.toString());
            }
        }
        return r.targets.isEmpty() ? "reads only " + String.join("|", missing) : null;
    }

    boolean supported(Target t) {
        if (!VALUES.contains(t.collection())) {
            return false;
        }
        if (t.collection().equals("REQUEST_HEADERS") && t.key() != null) {
            return headers.contains(t.key());
        }
        return true;
    }

    private void operator(CrsRule r, String text, Path dataDir) throws Operators.Unsupported {
        String op = text.strip();
        if (op.startsWith("!")) {
            r.negated = true;
            op = op.substring(1).strip();
        }
        r.operatorText = text;
        String name = "rx";
        String arg = op;
        if (op.startsWith("@")) {
            int sp = op.indexOf(' ');
            name = sp < 0 ? op.substring(1) : op.substring(1, sp);
            arg = sp < 0 ? "" : op.substring(sp + 1);
        }
        r.operator = Operators.compile(name, arg, dataDir, detectors, regexCompileMillis);
    }

    private void actions(CrsRule r, String text, String where, boolean link) {
        for (String[] a : SecLangReader.actions(text, where)) {
            String name = a[0].toLowerCase(Locale.ROOT);
            String value = a[1];
            if (value == null && NEED_VALUE.contains(name)) {
                throw new CrsException(where + ": action '" + a[0] + "' needs a value (" + a[0] + ":...)");
            }
            switch (name) {
                case "id" -> r.id = parseInt(value, where, "id");
                case "phase" -> r.phase = phase(value, where);
                case "t" -> transform(r, value, where);
                case "chain" -> r.chain = true;
                case "severity" -> r.severity = severity(value);
                case "tag" -> r.tags.add(value);
                case "msg" -> r.msg = value;
                case "setvar" -> r.setvars.add(SetVar.parse(value));
                case "ctl" -> r.ctls.add(value);
                case "skipafter" -> r.skipAfter = value;
                case "capture" -> r.capture = true;
                case "multimatch" -> r.multiMatch = true;
                case "nolog" -> r.log = false;
                case "log" -> r.log = true;
                default -> {
                    if (!IGNORED_ACTIONS.contains(name)) {
                        throw new CrsException(where + ": unknown action '" + a[0] + "'");
                    }
                }
            }
        }
        if (!link && r.id == 0) {
            throw new CrsException(where + ": rule without id");
        }
        r.indexTags();
    }

    private static void transform(CrsRule r, String value, String where) {
        if (value == null) {
            throw new CrsException(where + ": t: without a name");
        }
        if (value.equalsIgnoreCase("none")) {
            r.transforms.clear();
            r.transformKey = "";
            return;
        }
        UnaryOperator<String> t = Transforms.named(value);
        if (t == null) {
            throw new CrsException(where + ": unknown transformation t:" + value);
        }
        r.transforms.add(t);
        r.transformKey = r.transformKey + "," + value.toLowerCase(Locale.ROOT);
    }

    private static int phase(String v, String where) {
        return switch (v == null ? "" : v.toLowerCase(Locale.ROOT)) {
            case "request" -> 2;
            case "response" -> 4;
            case "logging" -> 5;
            default -> parseInt(v, where, "phase");
        };
    }

    private static String severity(String v) {
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "0", "1", "2", "EMERGENCY", "ALERT", "CRITICAL" -> "CRITICAL";
            case "3", "ERROR" -> "ERROR";
            case "4", "WARNING" -> "WARNING";
            default -> "NOTICE";
        };
    }

    private static int parseInt(String v, String where, String what) {
        try {
            return Integer.parseInt(v.strip());
        } catch (RuntimeException e) {
            throw new CrsException(where + ": " + what + " is not a number: " + v);
        }
    }
}
