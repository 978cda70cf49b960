package caravan.enrich.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds every occurrence of a fixed set of keywords in one pass over the text, ASCII letters
 * compared without case: time linear in the text whatever the keywords, which is why the bot and
 * threat matchers use it on attacker-controlled strings instead of a backtracking regex.
 *
 * <p>Built once as a full transition table (a DFA: no failure links followed while scanning), so a
 * scan is one table lookup per character. Immutable and thread-safe.
 */
public final class AhoCorasick {
    /** Receives matches: the keyword's index in the build list and where it ends (exclusive). */
    @FunctionalInterface
    public interface Sink {
        void match(int keyword, int end);
    }

    private final int classes;
    private final int[] asciiClass = new int[128];
    private final char[] otherChars;   // sorted non-ASCII keyword characters
    private final int[] otherClasses;  // their classes
    private final int[] delta;         // state * classes + class -> next state
    private final int[][] out;         // keywords ending in each state, or null
    private final int[] lengths;
    /**
     * {@link #delta} for {@link #containsAny}: per state row and class, the next state's row start
     * times two, plus one when a keyword ends there: one load per character, no multiply, no
     * second table.
     */
    private final int[] step;

    private AhoCorasick(List<String> keywords) {
        lengths = new int[keywords.size()];
        TreeSet<Character> alphabet = new TreeSet<>();
        for (String k : keywords) {
            if (k.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            for (int i = 0; i < k.length(); i++) {
                alphabet.add(fold(k.charAt(i)));
            }
        }
        // Class 0 is every character that occurs in no keyword: it always leads back to the root.
        List<Character> others = new ArrayList<>();
        int next = 1;
        for (char c : alphabet) {
            if (c < 128) {
                asciiClass[c] = next++;
            } else {
                others.add(c);
            }
        }
        otherChars = new char[others.size()];
        otherClasses = new int[others.size()];
        for (int i = 0; i < others.size(); i++) {
            otherChars[i] = others.get(i);
            otherClasses[i] = next++;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            asciiClass[c] = asciiClass[c + ('a' - 'A')];
        }
        classes = next;

        // The trie, as growable arrays.
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> outputs = new ArrayList<>();
        gotoRows.add(newRow());
        outputs.add(new ArrayList<>());
        for (int k = 0; k < keywords.size(); k++) {
            String word = keywords.get(k);
            lengths[k] = word.length();
            int s = 0;
            for (int i = 0; i < word.length(); i++) {
                int c = classOf(word.charAt(i));
                int t = gotoRows.get(s)[c];
                if (t <= 0) {
                    t = gotoRows.size();
                    gotoRows.get(s)[c] = t;
                    gotoRows.add(newRow());
                    outputs.add(new ArrayList<>());
                }
                s = t;
            }
            outputs.get(s).add(k);
        }

        // Breadth-first: failure links, inherited outputs, and missing transitions filled from the
        // failure state, which turns the trie into the DFA.
        int n = gotoRows.size();
        int[] fail = new int[n];
        delta = new int[n * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            int t = gotoRows.get(0)[c];
            if (t > 0) {
                delta[c] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            outputs.get(s).addAll(outputs.get(fail[s]));
            for (int c = 0; c < classes; c++) {
                int t = gotoRows.get(s)[c];
                if (t > 0) {
                    fail[t] = delta[fail[s] * classes + c];
                    delta[s * classes + c] = t;
                    queue.add(t);
                } else {
                    delta[s * classes + c] = delta[fail[s] * classes + c];
                }
            }
        }
        out = new int[n][];
        for (int s = 0; s < n; s++) {
            List<Integer> o = outputs.get(s);
            if (!o.isEmpty()) {
                out[s] = o.stream().distinct().sorted().mapToInt(Integer::intValue).toArray();
            }
        }
        step = new int[delta.length];
        for (int i = 0; i < delta.length; i++) {
            step[i] = delta[i] * classes * 2 + (out[delta[i]] != null ? 1 : 0);
        }
    }

    private int[] newRow() {
        int[] row = new int[classes];
        Arrays.fill(row, -1);
        return row;
    }

    /** An automaton for these keywords; a keyword's index in the list is what {@link Sink} receives. */
    public static AhoCorasick of(List<String> keywords) {
        return new AhoCorasick(keywords);
    }

    public int size() {
        return lengths.length;
    }

    /** The length of keyword {@code k}, so a sink can find where a match starts. */
    public int length(int k) {
        return lengths[k];
    }

    /** Reports every keyword occurrence in {@code text} to {@code sink}, in order of their ends. */
    public void scan(CharSequence text, Sink sink) {
        int s = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            s = delta[s * classes + classOf(text.charAt(i))];
            int[] o = out[s];
            if (o != null) {
                for (int k : o) {
                    sink.match(k, i + 1);
                }
            }
        }
    }

    /** Whether any keyword occurs in {@code text}. */
    public boolean containsAny(CharSequence text) {
        int[] st = step;
        int row = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            int v = st[row + classOf(text.charAt(i))];
            if ((v & 1) != 0) {
                return true;
            }
            row = v >>> 1;
        }
        return false;
    }

    private int classOf(char c) {
        if (c < 128) {
            return asciiClass[c];
        }
        if (otherChars.length == 0) {
            return 0;
        }
        int i = Arrays.binarySearch(otherChars, fold(c));
        return i >= 0 ? otherClasses[i] : 0;
    }

    private static char fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(c);
    }
}
