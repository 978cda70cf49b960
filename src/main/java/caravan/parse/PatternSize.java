package caravan.parse;

/** The estimated size of an application pattern's compiled program, checked before RE2/J compiles it. */
final class PatternSize {
    private PatternSize() {
    }

    /** Above this estimated program size a pattern is refused (see {@link #check}). */
    private static final long MAX_SIZE = 20_000;

    /**
     * Refuses patterns whose compiled program would be huge. RE2/J bounds matching time but not
     * compile size: nested counted repetitions multiply ({@code ((a{1000}){1000}){1000}} exhausts any
     * heap), so the size is estimated from the text first, as RE2 itself does.
     */
    static void check(CharSequence re) {
        long[] size = new long[64];
        long[] lastAtom = new long[64];
        int depth = 0;
        int n = re.length();
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            long atom = 1;
            switch (c) {
                case '\\' -> {
                    i++;
                    if (i + 1 < n && (re.charAt(i) == 'p' || re.charAt(i) == 'P') && re.charAt(i + 1) == '{') {
                        while (i < n && re.charAt(i) != '}') {
                            i++;
                        }
                    }
                }
                case '[' -> {
                    int j = i + 1;
                    if (j < n && re.charAt(j) == '^') {
                        j++;
                    }
                    if (j < n && re.charAt(j) == ']') {
                        j++;
                    }
                    while (j < n && re.charAt(j) != ']') {
                        if (re.charAt(j) == '\\') {
                            j++;
                        }
                        j++;
                    }
                    i = j;
                }
                case '(' -> {
                    if (depth == size.length - 1) {
                        throw new IllegalArgumentException("the pattern nests groups deeper than " + depth);
                    }
                    depth++;
                    size[depth] = 0;
                    lastAtom[depth] = 0;
                    continue;
                }
                case ')' -> {
                    if (depth > 0) {
                        atom = size[depth] + 1;
                        depth--;
                    }
                }
                case '{' -> {
                    int j = i + 1;
                    long lo = 0;
                    long hi = -1;
                    int digits = 0;
                    while (j < n && re.charAt(j) >= '0' && re.charAt(j) <= '9' && digits < 6) {
                        lo = lo * 10 + (re.charAt(j++) - '0');
                        digits++;
                    }
                    hi = lo;
                    if (digits > 0 && j < n && re.charAt(j) == ',') {
                        j++;
                        long h = 0;
                        int hd = 0;
                        while (j < n && re.charAt(j) >= '0' && re.charAt(j) <= '9' && hd < 6) {
                            h = h * 10 + (re.charAt(j++) - '0');
                            hd++;
                        }
                        hi = hd > 0 ? h : lo;
                    }
                    if (digits > 0 && j < n && re.charAt(j) == '}') {
                        size[depth] += lastAtom[depth] * Math.max(hi, 1);
                        i = j;
                        if (size[depth] > MAX_SIZE) {
                            throw new IllegalArgumentException("the pattern is too large once its repetitions are"
                                    + " expanded (over " + MAX_SIZE + " steps); use fewer or smaller {n} counts");
                        }
                        continue;
                    }
                }
                case '*', '+', '?', '|', '^', '$' -> {
                    continue;
                }
                default -> {
                }
            }
            size[depth] += atom;
            lastAtom[depth] = atom;
            if (size[depth] > MAX_SIZE) {
                throw new IllegalArgumentException("the pattern is too large once its repetitions are expanded (over "
                        + MAX_SIZE + " steps); use fewer or smaller {n} counts");
            }
        }
    }
}
