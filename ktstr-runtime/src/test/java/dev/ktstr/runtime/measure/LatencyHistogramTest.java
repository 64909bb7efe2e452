package dev.ktstr.runtime.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void indexAndBoundsAgreeEverywhere() {
        for (long v : new long[] {0, 1, 255, 256, 257, 511, 512, 1000, 123_456, 1L << 40, (1L << 48) - 1}) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.lowerBound(i) <= v, "lower bound of " + v);
            assertTrue(v < LatencyHistogram.lowerBound(i) + LatencyHistogram.width(i), "upper bound of " + v);
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(Long.MAX_VALUE));
        // Buckets are contiguous: each lower bound is the previous bound plus width.
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertEquals(LatencyHistogram.lowerBound(i - 1) + LatencyHistogram.width(i - 1),
                    LatencyHistogram.lowerBound(i), "bucket " + i);
        }
    }

    @Test
    void percentilesStayWithinOnePercentOfExact() {
        Random r = new Random(42);
        long[] v = new long[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(6 + r.nextDouble() * 12); // 400 ns .. 65 ms, log-uniform
        }
        LatencyHistogram h = LatencyHistogram.ofValues(v);
        long[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        for (double p : new double[] {0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = sorted[(int) Math.ceil(v.length * p) - 1];
            double got = h.percentileNs(p);
            assertTrue(Math.abs(got - exact) / exact <= 0.01, "p" + p + ": " + got + " vs " + exact);
        }
    }

    @Test
    void sparseFormRoundTripsAndIsChecked() {
        LatencyHistogram h = LatencyHistogram.ofValues(10, 300, 300, 70_000);
        int[] idx = h.nonEmptyIndexes();
        long[] counts = java.util.Arrays.stream(idx).mapToLong(h::bucket).toArray();
        assertEquals(h, LatencyHistogram.ofSparse(h.count(), h.sumNs(), h.minNs(), h.maxNs(), idx, counts));
        assertThrows(IllegalArgumentException.class,
                () -> LatencyHistogram.ofSparse(5, 0, 0, 0, idx, counts));
        assertEquals(h.count() * 2, h.merge(h).count());
        assertTrue(Double.isNaN(LatencyHistogram.empty().percentileNs(0.99)));
    }
}
