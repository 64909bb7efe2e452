package dev.ktstr.processor.generate;

import java.util.List;

/**
 * A minimal JSON writer for the manifest: the processor carries no JSON library into the user's
 * compiler, and the manifest needs only objects, arrays, strings, numbers and booleans written in a
 * fixed order.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    JsonWriter beginArray(String name) {
        key(name);
        out.append('[');
        needComma = false;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Starts a nested object as the value of {@code name}. */
    JsonWriter objectField(String name) {
        key(name);
        out.append('{');
        needComma = false;
        return this;
    }

    JsonWriter field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    JsonWriter field(String name, long value) {
        key(name);
        out.append(value);
        needComma = true;
        return this;
    }

    JsonWriter field(String name, double value) {
        key(name);
        out.append(new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
        needComma = true;
        return this;
    }

    JsonWriter field(String name, boolean value) {
        key(name);
        out.append(value);
        needComma = true;
        return this;
    }

    JsonWriter field(String name, List<String> values) {
        key(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
        }
        out.append(']');
        needComma = true;
        return this;
    }

    /** A line break between array elements, so large manifests diff line by line. */
    JsonWriter newline() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void key(String name) {
        comma();
        string(name);
        out.append(':');
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
        needComma = false;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
