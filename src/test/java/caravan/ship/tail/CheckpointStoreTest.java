package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryField() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("cp/app.json"));
        assertThat(store.load()).isEmpty();
        CheckpointStore.Entry a = new CheckpointStore.Entry("803-1f-00ab", "/var/log/a \"quoted\".log", 123456, 2051, 31,
                1024, -5L, 64, Long.MAX_VALUE, 1_700_000_000_123L);
        CheckpointStore.Entry b = new CheckpointStore.Entry("803-20-00cd", "/var/log/b.log", 0, 2051, 32, 7, 1, 0, 0, 1_700_000_000_000L);
        CheckpointStore.Entry c = new CheckpointStore.Entry("803-21-00ef", "/var/log/c.log", 99, 2051, 33, 7, 1, -64, 42, 1_700_000_000_000L);
        store.save(List.of(a, b, c));
        assertThat(store.load()).containsExactly(a, b, c);
        assertThat(Files.readString(store.file())).containsOnlyOnce("\"anchor\":{\"len\":64,\"hash\":\"000000000000002a\",\"hash-kind\":\"fnv1a\"}");
        assertThat(Files.exists(dir.resolve("cp/app.json.tmp"))).isFalse();
    }

    @Test
    void isHumanReadableJsonWithOneFilePerLine() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("app.json"));
        store.save(List.of(new CheckpointStore.Entry("id-1", "/l/a.log", 42, 1, 2, 3, 4, 5, 6, 0)));
        List<String> lines = Files.readAllLines(store.file());
        assertThat(lines.get(0)).startsWith("{\"version\": 2, \"updated\": \"");
        assertThat(lines.get(1)).contains("\"id\":\"id-1\"", "\"path\":\"/l/a.log\"", "\"offset\":42");
        assertThat(lines.get(2)).isEqualTo("]}");
        store.save(List.of(new CheckpointStore.Entry("id-1", "/l/a.log", 42, 1, 2, 3, 4, 5, 6, 0),
                new CheckpointStore.Entry("id-2", "/l/b.log", 43, 1, 2, 3, 4, 5, 6, 0)));
        assertThat(Files.readAllLines(store.file())).filteredOn(l -> l.contains("\"id\""))
                .allSatisfy(l -> assertThat(l).startsWith("  {\"id\":"));
    }

    @Test
    void replacesThePreviousVersionWhole() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("app.json"));
        store.save(List.of(new CheckpointStore.Entry("a", "/a", 1, 1, 1, 1, 1, 1, 1, 0),
                new CheckpointStore.Entry("b", "/b", 1, 1, 1, 1, 1, 1, 1, 0)));
        store.save(List.of(new CheckpointStore.Entry("a", "/a", 2, 1, 1, 1, 1, 1, 1, 0)));
        assertThat(store.load()).extracting(CheckpointStore.Entry::offset).containsExactly(2L);
    }

    @Test
    void readsVersionOneWithItsAnchorsMarkedAsFnv() throws Exception {
        Files.writeString(dir.resolve("v1.json"), "{\"version\": 1, \"files\": [{\"id\":\"i\",\"path\":\"/p\",\"offset\":9,"
                + "\"dev\":1,\"ino\":2,\"head\":{\"len\":9,\"hash\":\"05\"},\"anchor\":{\"len\":9,\"hash\":\"06\"},"
                + "\"seen\":\"2026-11-24T04:05:06.789Z\"}]}");
        assertThat(new CheckpointStore(dir.resolve("v1.json")).load()).singleElement().satisfies(e -> {
            assertThat(e.anchorLen()).isEqualTo(-9);
            assertThat(e.anchorHash()).isEqualTo(6);
            assertThat(e.headLen()).isEqualTo(9);
        });
    }

    @Test
    void refusesAFileItCannotRead() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"version\": 1, \"files\": [");
        assertThatThrownBy(() -> new CheckpointStore(dir.resolve("bad.json")).load())
                .isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
        Files.writeString(dir.resolve("other.json"), "{\"version\": 9}");
        assertThatThrownBy(() -> new CheckpointStore(dir.resolve("other.json")).load())
                .isInstanceOf(IOException.class).hasMessageContaining("version 1");
    }
}
