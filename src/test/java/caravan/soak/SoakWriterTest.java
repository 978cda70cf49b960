package caravan.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyLineIsOnDiskOnceAtTheOffsetTheWriterRecordedAcrossBothKindsOfRotation() throws Exception {
        SoakConfig c = new SoakConfig(4_000, 4, 1_000_000, 400, 3, 6, 0, 0, 0, 0, 0, 0);
        SoakWriter w = new SoakWriter(dir, c);
        w.run();
        w.close();
        assertThat(w.written()).isEqualTo(4_000);
        assertThat(w.rotations()).isEqualTo(9 * 4);
        for (int f = 0; f < 4; f++) {
            // Generation g lives in access-f.log.(last - g): the newest copy has the highest generation.
            List<byte[]> generations = new ArrayList<>();
            for (int n = 9; n >= 1; n--) {
                generations.add(Files.readAllBytes(dir.resolve("access-" + f + ".log." + n)));
            }
            generations.add(Files.readAllBytes(dir.resolve("access-" + f + ".log")));
            assertThat(w.count(f)).isEqualTo(1_000);
            int total = 0;
            for (byte[] g : generations) {
                total += new String(g, StandardCharsets.US_ASCII).split("\n").length;
            }
            assertThat(total).isEqualTo(1_000);
            for (int seq = 0; seq < w.count(f); seq++) {
                String text = new String(generations.get(w.generationOf(f, seq)), StandardCharsets.US_ASCII);
                String at = text.substring((int) w.offsetOf(f, seq), text.indexOf('\n', (int) w.offsetOf(f, seq)));
                assertThat(at).contains("GET /soak/" + f + "/" + seq + " ");
            }
        }
    }

    @Test
    void aUrlNamesItsLine() {
        String line = SoakWriter.line(3, 12345, Instant.parse("2026-12-03T04:00:00Z"));
        assertThat(line).startsWith("10.15.3.").contains("[03/Dec/2026:04:00:00 +0000] \"GET /soak/3/12345 HTTP/1.1\" 200");
        assertThat(SoakWriter.parse("/soak/3/12345")).containsExactly(3, 12345);
        assertThat(SoakWriter.parse("/other")).isNull();
    }
}
