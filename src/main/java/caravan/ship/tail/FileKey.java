package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where a file's bytes live: device and inode. Unique among files that exist at the same time. */
record FileKey(long dev, long ino) {

    /** The key and size of what {@code p} names now (following links). */
    static Stat stat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size");
        return new Stat(new FileKey(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()),
                ((Number) a.get("size")).longValue());
    }

    record Stat(FileKey key, long size) {
    }

    @Override
    public String toString() {
        return Long.toHexString(dev) + ":" + ino;
    }
}
