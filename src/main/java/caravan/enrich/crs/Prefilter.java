package caravan.enrich.crs;

import caravan.enrich.match.AhoCorasick;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells, in one Aho–Corasick pass over a transformed value, which regex rules could match it:
 * each rule's required literals ({@link RegexLiterals}) go into the automaton of its
 * transformation chain, so a typical value runs only the few regexes whose literals it contains.
 */
final class Prefilter {
    private record Group(AhoCorasick automaton, int[][] bitsOfKeyword) {
    }

    private final Map<String, Group> groups = new HashMap<>();

    /** Assigns each eligible link its bit and builds one automaton per transformation chain. */
    Prefilter(List<CrsRule> rules) {
        Map<String, List<String>> keywords = new HashMap<>();
        Map<String, List<Integer>> owners = new HashMap<>();
        Map<String, Integer> nextBit = new HashMap<>();
        for (CrsRule head : rules) {
            for (CrsRule link = head; link != null; link = link.next) {
                List<String> literals = link.operator == null || link.negated || link.multiMatch ? null
                        : link.operator.requiredLiterals();
                if (literals == null) {
                    continue;
                }
                int bit = nextBit.merge(link.transformKey, 1, Integer::sum) - 1;
                link.prefilterBit = bit;
                for (String l : literals) {
                    keywords.computeIfAbsent(link.transformKey, k -> new ArrayList<>()).add(Bytes.of(l));
                    owners.computeIfAbsent(link.transformKey, k -> new ArrayList<>()).add(bit);
                }
            }
        }
        keywords.forEach((key, words) -> {
            List<Integer> own = owners.get(key);
            Map<String, List<Integer>> byWord = new HashMap<>();
            for (int k = 0; k < words.size(); k++) {
                byWord.computeIfAbsent(words.get(k), w -> new ArrayList<>()).add(own.get(k));
            }
            List<String> distinct = new ArrayList<>(byWord.keySet());
            int[][] bits = new int[distinct.size()][];
            for (int k = 0; k < distinct.size(); k++) {
                bits[k] = byWord.get(distinct.get(k)).stream().mapToInt(Integer::intValue).toArray();
            }
            groups.put(key, new Group(AhoCorasick.of(distinct), bits));
        });
    }

    /** The bits of the links (of chain {@code transformKey}) whose literals occur in {@code value}. */
    BitSet scan(String transformKey, String value) {
        BitSet hits = new BitSet();
        Group g = groups.get(transformKey);
        if (g != null) {
            g.automaton().scan(value, (k, end) -> {
                for (int b : g.bitsOfKeyword()[k]) {
                    hits.set(b);
                }
            });
        }
        return hits;
    }
}
