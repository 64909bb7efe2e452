package dev.ktstr.processor.model;

/**
 * The naming rules of ktstr: a flag's user-facing name is the kebab-case of its enum constant,
 * acronym-aware ({@code REJECT_PIN} and {@code RejectPin} become {@code reject-pin},
 * {@code HTTPServer} becomes {@code http-server}), and generated Java identifiers are derived from
 * those names by replacing what Java does not allow with {@code _}.
 */
public final class Names {

    private Names() {}

    /** The kebab-case of an enum constant name (ktstr facts §6.2), as the runtime computes it too. */
    public static String kebab(String constant) {
        return dev.ktstr.annotations.FlagNames.kebab(constant);
    }

    /** {@code text} with every character Java does not allow in an identifier replaced by {@code _}. */
    public static String javaIdentifier(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
            sb.append(ok && c != '$' ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }
}
