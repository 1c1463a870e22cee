package dev.dbbat.store;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The {@code queries.parameters} object of a statement the proxy logged, built once on the writer thread: immutable,
 * in insertion order, its values immutable lists. {@link QueryRecord} keeps it as it is instead of copying it into a
 * new map, which a statement record otherwise paid for at every statement with parameters.
 */
final class ParametersMap extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Object[] values;

    private ParametersMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** Entries in the order they are put; the values must be immutable. Not thread-safe; build once. */
    static final class Builder {
        private final String[] keys;
        private final Object[] values;
        private int size;

        Builder(int capacity) {
            keys = new String[capacity];
            values = new Object[capacity];
        }

        Builder put(String key, Object value) {
            keys[size] = key;
            values[size++] = value;
            return this;
        }

        ParametersMap build() {
            return new ParametersMap(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
        }
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String each : keys) {
            if (each.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }
        };
    }
}
