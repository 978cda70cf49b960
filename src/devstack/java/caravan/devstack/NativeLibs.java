package caravan.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives Elasticsearch the native libraries its distribution bundles but Maven Central does not.
 *
 * <p>Elasticsearch 9 implements {@code index.codec: best_compression} with zstd through its native
 * access layer, which loads from {@code <home>/lib/platform/<os>-<arch>/}. Without it every shard of
 * a best_compression index fails on its first flush (a NullPointerException in
 * Zstd814StoredFieldsFormat) and stays red. Two things are needed there:
 * <ul>
 *   <li>{@code libzstd.so}: the system's libzstd (Debian's {@code libzstd1}, 1.5.x) is the same
 *       library, so it is linked;</li>
 *   <li>and {@code libvec.so}, Elasticsearch's SIMD vector library, must not be asked for: one
 *       missing library fails the whole native provider. The server is started with
 *       {@code -Dorg.elasticsearch.nativeaccess.enableVectorLibrary=false} (the devstack does no
 *       vector search).</li>
 * </ul>
 */
final class NativeLibs {
  private static final List<String> SEARCH = List.of(
      "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
      "/usr/lib64", "/usr/lib", "/lib64", "/lib");

  private NativeLibs() {
  }

  static void install(Path home) throws IOException {
    String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch64" : "x64";
    Path dir = Files.createDirectories(home.resolve("lib/platform/linux-" + arch));
    linkZstd(dir);
  }

  private static void linkZstd(Path dir) throws IOException {
    Path link = dir.resolve("libzstd.so");
    if (Files.exists(link)) {
      return;
    }
    for (String d : SEARCH) {
      for (String name : List.of("libzstd.so.1", "libzstd.so")) {
        Path lib = Path.of(d, name);
        if (Files.isReadable(lib)) {
          Files.deleteIfExists(link);
          Files.createSymbolicLink(link, lib.toRealPath());
          return;
        }
      }
    }
    throw new DevStackException("Elasticsearch needs the zstd library for best_compression indices, and none was "
        + "found in " + SEARCH + ": install it with 'apt-get install libzstd1'");
  }
}
