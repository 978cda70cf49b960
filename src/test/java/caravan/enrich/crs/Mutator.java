package caravan.enrich.crs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Blind mutations for {@link MutationFuzzer}, deterministic by seed: byte flips, random bytes,
 * deletions, splices of another seed, tokens of the encodings CRS's transformations undo (and of
 * broken ones: truncated escapes, UTF-8 overlongs), and repetition that grows an input up to
 * {@link #MAX_BYTES}. Not coverage-guided: nothing steers it towards new paths.
 */
final class Mutator {
    static final int MAX_BYTES = 64 * 1024;
    private static final List<byte[]> TOKENS = tokens("%25", "%", "%2", "%u", "%u00", "%uff1c", "%c0%af", "%e0%80%af",
            "&#x", "&#", "&#0000060", "&#x3c;", "&lt;", "&", ";", "\\u", "\\u003c", "\\x", "\\x3c", "\\", "\\\\", "\\0",
            "/*!", "/*", "*/", "--", "#", "'", "\"", "`", "<", ">", "<script>", "../", "..\\", "/./", "//", "+", " ", "\t",
            "\u0000", "%00", "0x", "0x41", "x'41'", "${", "$(", "$@", "c''at", "?", "*", "=", "&a=", "?a=", "[", "]", "(",
            ")", "{", "}", "|", "\r\n", "\n", "+ADw-", "char(", "base64,", "QUJD", "%%%", "\\\"", "&quot;", "union select");
    private static final byte[][] RAW = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
        {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf}, {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xef, (byte) 0xbc, (byte) 0x9c},
        {(byte) 0xe3, (byte) 0x80, (byte) 0x82}};

    private final SplittableRandom random;
    private final List<byte[]> seeds;
    /** Share of inputs grown towards {@link #MAX_BYTES} by repetition, per mille. */
    private final int growPerMille;
    private final int maxBytes;

    Mutator(long seed, List<byte[]> seeds, int growPerMille, int maxBytes) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds;
        this.growPerMille = growPerMille;
        this.maxBytes = Math.min(maxBytes, MAX_BYTES);
    }

    /** The next input: a seed with 1 to 8 mutations, some grown by repetition. */
    byte[] next() {
        byte[] b = seeds.get(random.nextInt(seeds.size()));
        int rounds = 1 + random.nextInt(8);
        for (int i = 0; i < rounds; i++) {
            b = mutate(b);
        }
        if (random.nextInt(1000) < growPerMille) {
            b = grow(b, 1 + (int) Math.pow(2, 10 + random.nextDouble() * (Math.log(maxBytes) / Math.log(2) - 10)));
        }
        return b.length > maxBytes ? Arrays.copyOf(b, maxBytes) : b;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private byte[] mutate(byte[] b) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
        switch (random.nextInt(8)) {
            case 0 -> {
                if (b.length > 0) {
                    b = b.clone();
                    b[Math.min(at, b.length - 1)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = insert(b, at, new byte[] {(byte) random.nextInt(256)});
            case 2 -> {
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                b = out;
            }
            case 3, 4 -> b = insert(b, at, TOKENS.get(random.nextInt(TOKENS.size())));
            case 5 -> b = insert(b, at, RAW[random.nextInt(RAW.length)]);
            case 6 -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = random.nextInt(other.length + 1);
                b = insert(b, at, Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + random.nextInt(64))));
            }
            default -> b = grow(b, b.length + 1 + random.nextInt(256));
        }
        return b;
    }

    /** Repeats one chunk of {@code b} in place until the input is about {@code size} bytes. */
    byte[] grow(byte[] b, int size) {
        if (b.length == 0 || b.length >= size) {
            return b;
        }
        int from = random.nextInt(b.length);
        int len = 1 + random.nextInt(Math.min(64, b.length - from));
        int times = Math.max(1, (size - b.length) / len);
        byte[] out = new byte[b.length + times * len];
        System.arraycopy(b, 0, out, 0, from + len);
        for (int t = 1; t <= times; t++) {
            System.arraycopy(b, from, out, from + t * len, len);
        }
        System.arraycopy(b, from + len, out, from + (times + 1) * len, b.length - from - len);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static List<byte[]> tokens(String... t) {
        return Arrays.stream(t).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
