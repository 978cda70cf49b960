package caravan.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secrets never come from the repository: a password, API key or token is given in the
 * environment, or read from a file the environment names (Docker and Kubernetes secrets).
 */
public final class Secrets {
    private Secrets() {
    }

    /** A secret given directly, or read from the file a {@code *-file} setting names; null if neither is set. */
    public static String secret(String value, String file) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file)).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read secret file '" + file + "': " + e.getMessage(), e);
            }
        }
        return null;
    }
}
