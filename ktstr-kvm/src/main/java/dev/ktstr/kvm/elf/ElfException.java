package dev.ktstr.kvm.elf;

/** A file is not a usable ELF64 little-endian object; the message names the file and the problem. */
public class ElfException extends Exception {

    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message);
    }
}
