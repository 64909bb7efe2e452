package dev.ktstr.runtime.stats;

import java.util.Locale;

/** Number formatting shared by the text and HTML renderings: short, locale-independent. */
public final class Fmt {

    private Fmt() {}

    /** A value with about 4 significant digits, no exponent for everyday magnitudes. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e7 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A duration in milliseconds: {@code 250 ms}, {@code 1.5 s}. */
    public static String ms(double ms) {
        if (Math.abs(ms) >= 1000) {
            return java.math.BigDecimal.valueOf(Math.round(ms / 10) / 100.0).stripTrailingZeros().toPlainString() + " s";
        }
        return Math.round(ms) + " ms";
    }

    /** A signed relative change in percent, e.g. {@code +21.3%}; {@code new} for a change from 0. */
    public static String pct(double rel) {
        if (Double.isNaN(rel)) {
            return "-";
        }
        if (Double.isInfinite(rel)) {
            return rel > 0 ? "+new" : "-new";
        }
        return String.format(Locale.ROOT, "%+.1f%%", rel * 100);
    }

    /** A p- or q-value: 3 decimals, or 2 significant digits in exponent form below 0.001. */
    public static String p(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    /** {@code mean ±ci (n)}, or {@code value (1)} for a single run. */
    public static String side(SideSummary s) {
        if (s == null) {
            return "-";
        }
        if (s.n() < 2) {
            return num(s.mean()) + " (1)";
        }
        return num(s.mean()) + " ±" + num(s.ci95()) + " (" + s.n() + ")";
    }
}
