package dev.ktstr.kvm.initramfs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything an ELF file needs from the host to run: its program interpreter (PT_INTERP) and the
 * transitive closure of its DT_NEEDED libraries, in the order the dynamic linker loads them
 * (breadth first). A static binary has neither.
 *
 * @param root        the ELF file (real path)
 * @param interpreter the program interpreter, if the file names one
 * @param libraries   the libraries, one per distinct found path, in load order
 * @param usesOrigin  whether the root's DT_RPATH or DT_RUNPATH mentions {@code $ORIGIN}: then the
 *                    file must sit at its real path in the guest too (or be reached through a
 *                    symlink to it) for the guest's linker to find the same libraries
 */
public record LibraryClosure(Path root, Optional<ResolvedLibrary> interpreter, List<ResolvedLibrary> libraries,
        boolean usesOrigin) {

    public LibraryClosure {
        libraries = List.copyOf(libraries);
    }

    /** Whether the file needs nothing from the host (statically linked). */
    public boolean isEmpty() {
        return interpreter.isEmpty() && libraries.isEmpty();
    }
}
