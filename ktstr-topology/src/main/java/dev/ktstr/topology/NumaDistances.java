package dev.ktstr.topology;

import java.util.Arrays;

/**
 * A symmetric NUMA distance matrix as the ACPI SLIT carries it: 10 on the diagonal, more than 10
 * elsewhere.
 */
public final class NumaDistances {

    public static final int LOCAL = 10;
    public static final int REMOTE = 20;

    private final int[][] matrix;

    private NumaDistances(int[][] matrix) {
        this.matrix = matrix;
    }

    /** 10 local, 20 remote for every pair. */
    public static NumaDistances uniform(int nodes) {
        int[][] m = new int[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                m[i][j] = i == j ? LOCAL : REMOTE;
            }
        }
        return new NumaDistances(m);
    }

    /** An explicit matrix; must be square, symmetric, 10 on the diagonal and above 10 elsewhere. */
    public static NumaDistances of(int[][] matrix) {
        int n = matrix.length;
        int[][] copy = new int[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("NUMA distance matrix is not square: row " + i);
            }
            copy[i] = matrix[i].clone();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j && copy[i][j] != LOCAL) {
                    throw new IllegalArgumentException("NUMA distance [" + i + "][" + i + "] must be 10");
                }
                if (i != j && copy[i][j] <= LOCAL) {
                    throw new IllegalArgumentException("NUMA distance [" + i + "][" + j + "] must exceed 10");
                }
                if (copy[i][j] != copy[j][i]) {
                    throw new IllegalArgumentException("NUMA distance matrix is not symmetric at [" + i + "][" + j + "]");
                }
                if (copy[i][j] > 255) {
                    throw new IllegalArgumentException("NUMA distance [" + i + "][" + j + "] exceeds 255");
                }
            }
        }
        return new NumaDistances(copy);
    }

    public int nodes() {
        return matrix.length;
    }

    public int distance(int from, int to) {
        return matrix[from][to];
    }

    public int[][] toArray() {
        int[][] copy = new int[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumaDistances d && Arrays.deepEquals(d.matrix, matrix);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(matrix);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(matrix);
    }
}
