package caravan.enrich.crs;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Start-up exclusions from settings, as CRS's SecRuleRemoveById, SecRuleRemoveByTag and
 * SecRuleUpdateTargetById would make them.
 *
 * @param targets rule id to the targets it no longer reads, e.g. {@code !ARGS:q}
 */
public record Exclusions(Set<Integer> ids, Set<String> tags, Map<Integer, String> targets) {
    public static final Exclusions NONE = new Exclusions(Set.of(), Set.of(), Map.of());

    /**
     * @param ids     {@code 942100, 920100-920199}
     * @param tags    {@code attack-sqli, paranoia-level/2}
     * @param targets {@code 942100:ARGS:q; 941100:REQUEST_HEADERS:Referer}
     */
    public static Exclusions parse(String ids, String tags, String targets) {
        Set<Integer> idSet = new HashSet<>();
        if (ids != null && !ids.isBlank()) {
            RuleIds.parse(ids, idSet::add);
        }
        Set<String> tagSet = new HashSet<>();
        if (tags != null) {
            for (String t : tags.split(",")) {
                if (!t.isBlank()) {
                    tagSet.add(t.strip());
                }
            }
        }
        Map<Integer, String> map = new LinkedHashMap<>();
        if (targets != null) {
            for (String pair : targets.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    throw new CrsException("caravan.enrich.crs.exclude-targets: '" + pair.strip() + "' is not id:TARGET");
                }
                String target = pair.substring(colon + 1).strip();
                int id = Integer.parseInt(pair.substring(0, colon).strip());
                map.merge(id, target.startsWith("!") ? target : "!" + target, (a, b) -> a + "|" + b);
            }
        }
        return new Exclusions(Set.copyOf(idSet), Set.copyOf(tagSet), Map.copyOf(map));
    }
}
