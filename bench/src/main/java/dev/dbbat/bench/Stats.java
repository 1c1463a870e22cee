package dev.dbbat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small statistics helpers. Stateless. */
final class Stats {
    private Stats() {}

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The p-th percentile (0..100) of {@code sorted}, nearest-rank. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** {@code values[i] / references[i]} for each index of the shorter list. */
    static List<Double> ratios(List<Double> values, List<Double> references) {
        List<Double> result = new ArrayList<>();
        for (int i = 0; i < Math.min(values.size(), references.size()); i++) {
            result.add(ratio(values.get(i), references.get(i)));
        }
        return result;
    }

    static double ratio(double value, double reference) {
        return reference == 0 || Double.isNaN(reference) ? Double.NaN : value / reference;
    }
}
