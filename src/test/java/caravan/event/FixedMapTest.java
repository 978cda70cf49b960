package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixedMapTest {

    @Test
    void isAMapInTheOrderGivenThatNobodyCanChange() {
        FixedMap m = FixedMap.of("lat", 47.25, "lon", -122.31);
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("lat", 47.25);
        same.put("lon", -122.31);
        assertThat(m).isEqualTo(same).hasSameHashCodeAs(same).containsExactly(Map.entry("lat", 47.25), Map.entry("lon", -122.31));
        assertThat(m.get("lon")).isEqualTo(-122.31);
        assertThat(m.get("alt")).isNull();
        assertThat(m.containsKey("lat")).isTrue();
        assertThatThrownBy(() -> m.put("alt", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(0.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.remove("lat")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> FixedMap.of("a", 1, "a", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FixedMap.of("a", 1, "b", null)).isInstanceOf(NullPointerException.class);
    }

    /**
     * Only what cannot change is kept as bytes: a map behind an unmodifiable view, or a FixedMap holding a list,
     * is the same object after a change, and the next document must show the change.
     */
    @Test
    void theWriterWritesAMapThatCanChangeAnewEveryTime() throws Exception {
        EcsJsonWriter writer = new EcsJsonWriter();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("lat", 1.5);
        Map<String, Object> view = java.util.Collections.unmodifiableMap(point);
        java.util.List<Object> tags = new java.util.ArrayList<>(java.util.List.of("a"));
        FixedMap holdingAList = FixedMap.of("tags", tags, "n", 1);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < 4; i++) {
            LogEvent e = new LogEvent();
            e.put("source.geo.city_name", "London").put("source.geo.location", view).put("source.geo.timezone", "Europe")
                    .put("labels.x", holdingAList).put("labels.y", "z");
            var doc = json.readTree(writer.write(e));
            assertThat(doc.path("source").path("geo").path("location").path("lat").asDouble()).as("event %d", i).isEqualTo(1.5 + i);
            assertThat(doc.path("labels").path("x").path("tags").size()).as("event %d", i).isEqualTo(1 + i);
            point.put("lat", 2.5 + i);
            tags.add("b" + i);
        }
    }

    /** The writer keeps a point's bytes while the same point comes again, and writes a new one when it does not. */
    @Test
    void theWriterWritesThePointOfEachEventWhetherKeptOrNot() throws Exception {
        EcsJsonWriter writer = new EcsJsonWriter();
        FixedMap london = FixedMap.of("lat", 51.5, "lon", -0.12);
        FixedMap paris = FixedMap.of("lat", 48.85, "lon", 2.35);
        FixedMap[] points = {london, london, paris, london, FixedMap.of("lat", 51.5, "lon", -0.12), paris, paris};
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (FixedMap p : points) {
            LogEvent e = new LogEvent();
            e.put("source.geo.city_name", p == paris ? "Paris" : "London").put("source.geo.location", p)
                    .put("source.geo.timezone", "Europe");
            var doc = json.readTree(writer.write(e)).path("source").path("geo");
            assertThat(doc.path("location").path("lat").asDouble()).isEqualTo((Double) p.get("lat"));
            assertThat(doc.path("location").path("lon").asDouble()).isEqualTo((Double) p.get("lon"));
            assertThat(doc.path("city_name").asText()).isEqualTo(p == paris ? "Paris" : "London");
        }
    }
}
