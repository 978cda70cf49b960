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
