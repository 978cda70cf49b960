package caravan.enrich.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import nl.basjes.parse.useragent.analyze.treewalker.steps.lookup.StepIsInLookupPrefix;
import nl.basjes.parse.useragent.analyze.treewalker.steps.lookup.StepLookupPrefix;
import org.junit.jupiter.api.Test;

class SharedPrefixMapsTest {
    private static final Map<String, String> BRANDS = Map.of("sm-", "Samsung", "lg", "LG", "nexus", "Google");

    /** YAUAA's own steps: those built from equal lookups share a trie, and a step of other entries keeps its own. */
    @Test
    void stepsOfEqualLookupsShareOneTrie() throws ReflectiveOperationException {
        StepLookupPrefix a = new StepLookupPrefix("Brands", BRANDS, null);
        StepLookupPrefix b = new StepLookupPrefix("BrandsAgain", Map.copyOf(BRANDS), "fallback");
        StepLookupPrefix other = new StepLookupPrefix("Other", Map.of("sm-", "Samsung", "lg", "LG"), null);
        StepIsInLookupPrefix is = new StepIsInLookupPrefix("Brands", BRANDS);
        Object tb = trie(b);
        assertEquals(2, SharedPrefixMaps.share(List.of(a, List.of(b, other), new Object[] {is, null})));
        assertSame(trie(a), trie(b));
        assertSame(trie(a), trie(is));
        assertNotSame(trie(a), trie(other));
        assertNotSame(tb, trie(b));
        assertEquals("Samsung", b.walk(null, "SM-G991B").getValue());
        assertEquals("Google", b.walk(null, "Nexus 5").getValue(), "answered from its own entries, not the other trie's");
        assertEquals("fallback", b.walk(null, "Pixel 8").getValue());
        assertEquals(0, SharedPrefixMaps.share(List.of(a, b, other, is)), "shared already");
    }

    private static Object trie(Object step) throws ReflectiveOperationException {
        Field f = step.getClass().getDeclaredField("prefixMap");
        f.setAccessible(true);
        return f.get(step);
    }
}
