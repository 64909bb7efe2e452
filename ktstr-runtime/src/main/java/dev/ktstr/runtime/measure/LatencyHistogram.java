package dev.ktstr.runtime.measure;

import java.util.Arrays;

/**
 * The agent's log-linear latency histogram ({@code struct kw_hist} in {@code ktstr_work.h}): values
 * below 256 ns are exact; each power-of-two range above is split into 128 buckets, so a value is
 * known to within 1/128 of itself. Percentiles report a bucket's midpoint (under 0.4 % error).
 * Immutable.
 */
public final class LatencyHistogram {

    public static final int SUB_BITS = 8;
    public static final int BUCKETS = 256 + 40 * 128;

    private static final LatencyHistogram EMPTY = new LatencyHistogram(0, 0, 0, 0, new long[BUCKETS]);

    private final long count;
    private final long sumNs;
    private final long minNs;
    private final long maxNs;
    private final long[] buckets;

    private LatencyHistogram(long count, long sumNs, long minNs, long maxNs, long[] buckets) {
        this.count = count;
        this.sumNs = sumNs;
        this.minNs = minNs;
        this.maxNs = maxNs;
        this.buckets = buckets;
    }

    public static LatencyHistogram empty() {
        return EMPTY;
    }

    /** Builds from the sparse wire form: parallel arrays of bucket index and count. */
    public static LatencyHistogram ofSparse(long count, long sumNs, long minNs, long maxNs, int[] indexes,
            long[] counts) {
        if (indexes.length != counts.length) {
            throw new IllegalArgumentException("indexes and counts differ in length");
        }
        long[] b = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] < 0 || indexes[i] >= BUCKETS) {
                throw new IllegalArgumentException("bucket index " + indexes[i] + " out of range");
            }
            b[indexes[i]] += counts[i];
            total += counts[i];
        }
        if (total != count) {
            throw new IllegalArgumentException("bucket counts sum to " + total + ", header says " + count);
        }
        return new LatencyHistogram(count, sumNs, minNs, maxNs, b);
    }

    /** Builds from raw samples (tests, host-side measurements). */
    public static LatencyHistogram ofValues(long... valuesNs) {
        long[] b = new long[BUCKETS];
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long v : valuesNs) {
            if (v < 0) {
                throw new IllegalArgumentException("negative latency " + v);
            }
            b[index(v)]++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return valuesNs.length == 0 ? EMPTY : new LatencyHistogram(valuesNs.length, sum, min, max, b);
    }

    /** The bucket of {@code v} (same formula as {@code kw_hist_index}). */
    public static int index(long v) {
        if (v < 256) {
            return (int) v;
        }
        int k = 63 - Long.numberOfLeadingZeros(v);
        if (k > 47) {
            return BUCKETS - 1;
        }
        return 256 + (k - 8) * 128 + (int) ((v >>> (k - 7)) - 128);
    }

    /** Lowest value that falls into bucket {@code i}. */
    public static long lowerBound(int i) {
        if (i < 256) {
            return i;
        }
        int k = (i - 256) / 128 + 8;
        long top = (i - 256) % 128 + 128;
        return top << (k - 7);
    }

    /** Width of bucket {@code i} (1 for the exact buckets). */
    public static long width(int i) {
        return i < 256 ? 1 : 1L << ((i - 256) / 128 + 1);
    }

    public long count() {
        return count;
    }

    public long sumNs() {
        return sumNs;
    }

    public long minNs() {
        return minNs;
    }

    public long maxNs() {
        return maxNs;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public double meanNs() {
        return count == 0 ? Double.NaN : (double) sumNs / count;
    }

    /**
     * The value at quantile {@code p} in (0, 1]: the midpoint of the bucket holding the
     * {@code ceil(n·p)}-th smallest sample, clamped to [min, max]. NaN when empty.
     */
    public double percentileNs(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + p);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(count * p);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                double mid = lowerBound(i) + (width(i) - 1) / 2.0;
                return Math.min(Math.max(mid, minNs), maxNs);
            }
        }
        return maxNs;
    }

    /** Population coefficient of variation from bucket midpoints (σ/μ); NaN when empty. */
    public double cv() {
        if (count == 0) {
            return Double.NaN;
        }
        double mean = meanNs();
        if (mean == 0) {
            return 0;
        }
        double acc = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets[i] != 0) {
                double mid = lowerBound(i) + (width(i) - 1) / 2.0;
                acc += buckets[i] * (mid - mean) * (mid - mean);
            }
        }
        return Math.sqrt(acc / count) / mean;
    }

    /** The sum of two histograms. */
    public LatencyHistogram merge(LatencyHistogram o) {
        if (o.count == 0) {
            return this;
        }
        if (count == 0) {
            return o;
        }
        long[] b = buckets.clone();
        for (int i = 0; i < BUCKETS; i++) {
            b[i] += o.buckets[i];
        }
        return new LatencyHistogram(count + o.count, sumNs + o.sumNs, Math.min(minNs, o.minNs),
                Math.max(maxNs, o.maxNs), b);
    }

    /** Count in bucket {@code i}. */
    public long bucket(int i) {
        return buckets[i];
    }

    /** Indexes of non-empty buckets, ascending (the sparse wire form). */
    public int[] nonEmptyIndexes() {
        return java.util.stream.IntStream.range(0, BUCKETS).filter(i -> buckets[i] != 0).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && h.count == count && h.sumNs == sumNs && h.minNs == minNs
                && h.maxNs == maxNs && Arrays.equals(h.buckets, buckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        return count == 0 ? "LatencyHistogram[empty]"
                : String.format("LatencyHistogram[n=%d, p50=%.0fns, p99=%.0fns, max=%dns]", count,
                        percentileNs(0.5), percentileNs(0.99), maxNs);
    }
}
