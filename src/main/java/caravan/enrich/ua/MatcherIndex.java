package caravan.enrich.ua;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shrinks YAUAA's path index once its matchers are ready. The index maps some 200,000 parse-tree
 * paths to the actions each one informs, every set a {@link LinkedHashSet}; 161,000 of them hold a
 * single action. Such a set costs about 190 bytes; the same actions in an immutable set of the same
 * order cost 16 to 40. The map itself then becomes a {@link PathIndex}: its 200,000 path strings and
 * entries go into a few arrays, and steps that look up the same prefixes share one trie ({@link SharedPrefixMaps}).
 * The matchers retain 40.5 MB instead of 114 (BENCHMARKS.md "Memory").
 *
 * <p>Once the matchers are initialised YAUAA only looks the sets up and iterates them, in order, so the
 * answers stay the same ({@code AnalyzerSnapshotTest} compares every corpus user agent). YAUAA has no API
 * for this, so its fields are reached by reflection: a layout other than YAUAA 8's is said in one line
 * and the index is left as it is.
 *
 * <p>The build compacts the matchers before it writes the jar's snapshot, and {@link #register} lets
 * Kryo read the small sets back as they are: the large ones are never made at start, so they never
 * take room in the old generation that the heap then keeps.
 */
final class MatcherIndex {
    private static final Logger LOG = LoggerFactory.getLogger(MatcherIndex.class);
    /** The match maker's maps from a path to a set, read per parse and never written after initialisation. */
    private static final String[] INDEXES = {
        "informMatcherActions", "informMatcherActionRanges", "informMatcherActionPrefixesLengths",
    };

    private MatcherIndex() {
    }

    /** The number of sets replaced, or -1 when the analyzer is not laid out as expected (said once, nothing changed). */
    static int compact(Object analyzer) {
        try {
            Object matchMaker = field(analyzer, "matchMaker");
            if (!Boolean.TRUE.equals(field(matchMaker, "matchersHaveBeenInitialized"))) {
                LOG.info("YAUAA's matcher index left as it is: the matchers are not initialised yet");
                return -1;
            }
            int replaced = 0;
            for (String name : INDEXES) {
                if (!(field(matchMaker, name) instanceof Map<?, ?> index)) {
                    throw new NoSuchFieldException(name + " is not a map");
                }
                replaced += compact(index);
            }
            SharedPrefixMaps.share(analyzer);
            Field paths = declared(matchMaker, INDEXES[0]);
            if (!(paths.get(matchMaker) instanceof PathIndex)) {
                @SuppressWarnings("unchecked")
                Map<String, ?> index = (Map<String, ?>) paths.get(matchMaker);
                paths.set(matchMaker, PathIndex.of(index));
            }
            return replaced;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("YAUAA's matcher index left as it is (its layout is not YAUAA 8's: {})", e.toString());
            return -1;
        }
    }

    @SuppressWarnings("unchecked")
    private static int compact(Map<?, ?> index) {
        if (index instanceof PathIndex) {
            return 0; // packed after its sets were compacted
        }
        int replaced = 0;
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) index).entrySet()) {
            if (e.getValue() instanceof LinkedHashSet<?> set) {
                e.setValue(set.size() == 1 ? Collections.singleton(set.iterator().next()) : new FrozenSet<>(set));
                replaced++;
            }
        }
        return replaced;
    }

    /** The value of field {@code name}, declared by the object's class or a superclass. */
    static Object field(Object of, String name) throws ReflectiveOperationException {
        return declared(of, name).get(of);
    }

    private static Field declared(Object of, String name) throws NoSuchFieldException {
        for (Class<?> c = of.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException(of.getClass().getName() + "." + name);
    }

    /** Lets {@code kryo} write and read the compacted sets (after YAUAA's own registrations, so theirs keep their ids). */
    static void register(Kryo kryo) {
        PathIndex.register(kryo);
        kryo.register(FrozenSet.class, new Serializer<FrozenSet<Object>>(false, true) {
            @Override
            public void write(Kryo k, Output out, FrozenSet<Object> set) {
                out.writeVarInt(set.elements.length, true);
                for (Object e : set.elements) {
                    k.writeClassAndObject(out, e);
                }
            }

            @Override
            public FrozenSet<Object> read(Kryo k, Input in, Class<? extends FrozenSet<Object>> type) {
                Object[] elements = new Object[in.readVarInt(true)];
                for (int i = 0; i < elements.length; i++) {
                    elements[i] = k.readClassAndObject(in);
                }
                return new FrozenSet<>(elements);
            }
        });
        kryo.register(Collections.singleton(null).getClass(), new Serializer<Set<Object>>(false, true) {
            @Override
            public void write(Kryo k, Output out, Set<Object> set) {
                k.writeClassAndObject(out, set.iterator().next());
            }

            @Override
            public Set<Object> read(Kryo k, Input in, Class<? extends Set<Object>> type) {
                return Collections.singleton(k.readClassAndObject(in));
            }
        });
    }

    /** An immutable set in the order it was given, for the few elements of one path. */
    static final class FrozenSet<E> extends AbstractSet<E> {
        private final Object[] elements;

        FrozenSet(Collection<? extends E> from) {
            this(from.toArray());
        }

        private FrozenSet(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public int size() {
            return elements.length;
        }

        @Override
        public Iterator<E> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < elements.length;
                }

                @Override
                @SuppressWarnings("unchecked")
                public E next() {
                    if (next >= elements.length) {
                        throw new NoSuchElementException();
                    }
                    return (E) elements[next++];
                }
            };
        }
    }
}
