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
 * Literals are matched against the value after the link's own transformations, the value the
 * regex sees, so a decoding never hides a literal from the filter.
 */
final class Prefilter {
    private record Group(AhoCorasick automaton, int[][] bitsOfKeyword) {
    }

    /** By transformation chain id; null where no link of the chain has literals. */
    private final Group[] groups;

    /** Assigns each eligible link its bit and builds one automaton per transformation chain. */
    Prefilter(List<CrsRule> rules, int chains) {
        List<List<String>> keywords = new ArrayList<>();
        List<List<Integer>> owners = new ArrayList<>();
        int[] nextBit = new int[chains];
        for (int c = 0; c < chains; c++) {
            keywords.add(new ArrayList<>());
            owners.add(new ArrayList<>());
        }
        for (CrsRule head : rules) {
            for (CrsRule link = head; link != null; link = link.next) {
                List<String> literals = link.operator == null || link.negated || link.multiMatch ? null
                        : link.operator.requiredLiterals();
                if (literals == null) {
                    continue;
                }
                int bit = nextBit[link.chainId]++;
                link.prefilterBit = bit;
                for (String l : literals) {
                    keywords.get(link.chainId).add(Bytes.of(l));
                    owners.get(link.chainId).add(bit);
                }
            }
        }
        groups = new Group[chains];
        for (int c = 0; c < chains; c++) {
            List<String> words = keywords.get(c);
            if (words.isEmpty()) {
                continue;
            }
            Map<String, List<Integer>> byWord = new HashMap<>();
            for (int k = 0; k < words.size(); k++) {
                byWord.computeIfAbsent(words.get(k), w -> new ArrayList<>()).add(owners.get(c).get(k));
            }
            List<String> distinct = new ArrayList<>(byWord.keySet());
            int[][] bits = new int[distinct.size()][];
            for (int k = 0; k < distinct.size(); k++) {
                bits[k] = byWord.get(distinct.get(k)).stream().mapToInt(Integer::intValue).toArray();
            }
            groups[c] = new Group(AhoCorasick.of(distinct), bits);
        }
    }

    /** Whether any link of chain {@code chainId} has literals (else there is nothing to scan for). */
    boolean filters(int chainId) {
        return groups[chainId] != null;
    }

    /** The bits of the links (of chain {@code chainId}) whose literals occur in {@code value}. */
    BitSet scan(int chainId, String value) {
        BitSet hits = new BitSet();
        Group g = groups[chainId];
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
