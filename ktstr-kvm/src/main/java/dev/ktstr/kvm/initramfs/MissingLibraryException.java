package dev.ktstr.kvm.initramfs;

import java.util.List;

/**
 * A DT_NEEDED library of an ELF file that goes into the initramfs was found nowhere the dynamic
 * linker would look. Carries the library name, the object that needs it, the file whose closure was
 * being resolved, and where the search looked, in the dynamic linker's order.
 */
public final class MissingLibraryException extends InitramfsException {

    private static final long serialVersionUID = 1L;

    private final String library;
    private final String neededBy;
    private final String root;
    private final List<String> searched;

    public MissingLibraryException(String library, String neededBy, String root, List<String> searched) {
        super("shared library " + library + " needed by " + neededBy
                + (root.equals(neededBy) ? "" : " (in the closure of " + root + ")")
                + " not found; searched " + String.join(" ", searched));
        this.library = library;
        this.neededBy = neededBy;
        this.root = root;
        this.searched = List.copyOf(searched);
    }

    /** The DT_NEEDED name that could not be found, e.g. {@code libfoo.so.1}. */
    public String library() {
        return library;
    }

    /** The path of the object whose DT_NEEDED entry names the library. */
    public String neededBy() {
        return neededBy;
    }

    /** The file whose closure was being resolved. */
    public String root() {
        return root;
    }

    /** Directories searched, in order; the cache lookup appears as {@code ld.so.cache:<file>}. */
    public List<String> searched() {
        return searched;
    }
}
