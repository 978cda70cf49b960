package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inode numbers of files deleted since the tailer last looked. A file created on one of them is,
 * to the tailer, the deleted file renamed (see {@link RotationModelTest}): such a sequence is run
 * but not judged, and counted.
 */
final class UnlookedInodes {
    private final Map<Long, String> deleted = new HashMap<>();
    boolean taken;

    /** The tailer looked: it has seen those deletions. */
    void looked() {
        deleted.clear();
    }

    void deleting(Path p) throws IOException {
        deleted.put(FileKey.stat(p).key().ino(), p.getFileName().toString());
    }

    void created(Path p, List<String> ops) throws IOException {
        String was = deleted.get(FileKey.stat(p).key().ino());
        if (was != null) {
            taken = true;
            ops.add("  (" + p.getFileName() + " took the inode number of " + was + " before the tailer looked: not judged)");
        }
    }
}
