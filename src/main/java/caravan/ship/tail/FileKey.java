package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a file's bytes live: device and inode. Unique among files that exist at the same time. */
record FileKey(long dev, long ino) {

    /** The key, size and change time of what {@code p} names now (following links). */
    static Stat stat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,ctime");
        return new Stat(new FileKey(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()),
                ((Number) a.get("size")).longValue(), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    /** {@code ctimeNanos}: the inode's change time, which every write and truncation moves (at the clock's tick). */
    record Stat(FileKey key, long size, long ctimeNanos) {
    }

    @Override
    public String toString() {
        return Long.toHexString(dev) + ":" + ino;
    }
}
