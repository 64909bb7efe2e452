package dev.ktstr.runtime.stats.report;

import java.util.Locale;

/** A tiny SVG/HTML text builder: escaping and compact number formatting for coordinates. */
final class Svg {

    private final StringBuilder sb = new StringBuilder();

    Svg raw(String s) {
        sb.append(s);
        return this;
    }

    /** Appends {@code s} escaped for HTML/SVG text and attribute values. */
    Svg text(String s) {
        sb.append(esc(s));
        return this;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A coordinate with one decimal. */
    static String n(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
