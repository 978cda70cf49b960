package caravan.enrich.ua;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Distinct Latin-1 strings, numbered, in one byte array, found by a range of a string without
 * cutting it out: {@link PathIndex}'s tree paths and values.
 */
final class Names {
    static final Names EMPTY = new Names(new byte[0], new int[] {0});

    private final byte[] chars;
    /** Name {@code i} is {@code chars[starts[i]..starts[i + 1])}. */
    private final int[] starts;
    private final int[] hashes;
    /** Open addressing: name number plus one, 0 for an empty slot. */
    private final int[] slots;

    private Names(byte[] chars, int[] starts) {
        this.chars = chars;
        this.starts = starts;
        int n = starts.length - 1;
        hashes = new int[n];
        slots = new int[Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1];
        for (int i = 0; i < n; i++) {
            hashes[i] = hash(chars, starts[i], starts[i + 1]);
            int s = spread(hashes[i]) & (slots.length - 1);
            while (slots[s] != 0) {
                s = (s + 1) & (slots.length - 1);
            }
            slots[s] = i + 1;
        }
    }

    /** The number of {@code s[from..to)}, or -1 when it is not one of the names. */
    int find(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        int len = to - from;
        for (int slot = spread(h) & (slots.length - 1); slots[slot] != 0; slot = (slot + 1) & (slots.length - 1)) {
            int name = slots[slot] - 1;
            if (hashes[name] == h && starts[name + 1] - starts[name] == len && same(name, s, from, len)) {
                return name;
            }
        }
        return -1;
    }

    String name(int i) {
        return new String(chars, starts[i], starts[i + 1] - starts[i], StandardCharsets.ISO_8859_1);
    }

    int size() {
        return starts.length - 1;
    }

    private boolean same(int name, String s, int from, int len) {
        int at = starts[name];
        for (int i = 0; i < len; i++) {
            if ((chars[at + i] & 0xFF) != s.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    static boolean latin1(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + (b[i] & 0xFF);
        }
        return h;
    }

    /** Only the low bits pick a slot, so the high ones are folded into them. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    void write(Output out) {
        out.writeVarInt(size(), true);
        out.writeInts(starts, 0, starts.length);
        out.writeVarInt(chars.length, true);
        out.writeBytes(chars);
    }

    static Names read(Input in) {
        int[] starts = in.readInts(in.readVarInt(true) + 1);
        byte[] chars = in.readBytes(in.readVarInt(true));
        return new Names(chars, starts);
    }

    /** Numbers each distinct Latin-1 string in the order first added. */
    static final class Builder {
        private final Map<String, Integer> numbers = new HashMap<>();
        private final ByteArrayOutputStream chars = new ByteArrayOutputStream();
        private int[] starts = new int[64];

        int add(String name) {
            return numbers.computeIfAbsent(name, n -> {
                int i = numbers.size();
                if (i + 2 > starts.length) {
                    starts = Arrays.copyOf(starts, starts.length * 2);
                }
                chars.writeBytes(n.getBytes(StandardCharsets.ISO_8859_1));
                starts[i + 1] = chars.size();
                return i;
            });
        }

        Names build() {
            return new Names(chars.toByteArray(), Arrays.copyOf(starts, numbers.size() + 1));
        }
    }
}
