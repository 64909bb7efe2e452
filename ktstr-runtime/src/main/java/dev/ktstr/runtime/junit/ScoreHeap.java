package dev.ktstr.runtime.junit;

import java.util.Arrays;

/**
 * A binary max-heap of (candidate index, score) pairs in two primitive arrays, ordered by higher
 * score, then smaller index: the budget pick pushes and pops up to one entry per candidate per round,
 * and boxed entries with comparators made that its hottest loop.
 */
final class ScoreHeap {

    private int[] index = new int[64];
    private double[] score = new double[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int peekIndex() {
        return index[0];
    }

    double peekScore() {
        return score[0];
    }

    void clear() {
        size = 0;
    }

    void push(int i, double s) {
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
            score = Arrays.copyOf(score, size * 2);
        }
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!before(i, s, index[parent], score[parent])) {
                break;
            }
            index[k] = index[parent];
            score[k] = score[parent];
            k = parent;
        }
        index[k] = i;
        score[k] = s;
    }

    void pop() {
        int i = index[--size];
        double s = score[size];
        int k = 0;
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && before(index[right], score[right], index[child], score[child])) {
                child = right;
            }
            if (!before(index[child], score[child], i, s)) {
                break;
            }
            index[k] = index[child];
            score[k] = score[child];
            k = child;
        }
        index[k] = i;
        score[k] = s;
    }

    /** Whether {@code (a, sa)} comes before {@code (b, sb)}: higher score, then smaller index. */
    static boolean before(int a, double sa, int b, double sb) {
        return sa > sb || (sa == sb && a < b);
    }
}
