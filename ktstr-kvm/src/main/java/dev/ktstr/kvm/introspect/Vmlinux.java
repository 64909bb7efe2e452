package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What introspection needs from an uncompressed kernel ELF: its GNU build id (the key of the
 * kallsyms cache), the link-time address of {@code .text} (to detect KASLR), its symbol table when
 * it has one (distribution vmlinux files extracted from a bzImage do not), and its BTF.
 */
public final class Vmlinux {

    private static final int NT_GNU_BUILD_ID = 3;

    private final ElfFile elf;
    private Btf btf;

    private Vmlinux(ElfFile elf) {
        this.elf = elf;
    }

    /** Opens and validates {@code path} as an x86-64 kernel ELF. */
    public static Vmlinux open(Path path) throws IOException, IntrospectException {
        try {
            ElfFile elf = ElfFile.open(path);
            if (elf.machine() != 62) {
                throw new IntrospectException(path + ": e_machine " + elf.machine()
                        + " is not x86-64 (62); only x86-64 guests are introspected");
            }
            ElfFile.Section text = elf.section(".text").orElseThrow(
                    () -> new IntrospectException(path + ": no .text section (not a vmlinux?)"));
            if (Long.compareUnsigned(text.addr(), KernelAddressSpace.START_KERNEL_MAP) < 0) {
                throw new IntrospectException(path + ": .text is linked at 0x" + Long.toHexString(text.addr())
                        + ", outside the kernel image mapping (not a vmlinux?)");
            }
            return new Vmlinux(elf);
        } catch (ElfException e) {
            throw new IntrospectException(e.getMessage());
        }
    }

    public Path path() {
        return elf.path();
    }

    public ElfFile elf() {
        return elf;
    }

    /** The GNU build id as lower-case hex, if the image has one. */
    public Optional<String> buildId() throws IntrospectException {
        try {
            for (ElfFile.Note n : elf.notes()) {
                if (n.name().equals("GNU") && n.type() == NT_GNU_BUILD_ID && n.desc().length > 0) {
                    return Optional.of(HexFormat.of().formatHex(n.desc()));
                }
            }
            return Optional.empty();
        } catch (ElfException e) {
            throw new IntrospectException(e.getMessage());
        }
    }

    /** Link-time virtual address of {@code .text} (= {@code _text} of an unrandomized kernel). */
    public long textAddress() {
        return elf.section(".text").orElseThrow().addr();
    }

    /** The virtual range of the image's loaded segments inside the kernel image mapping. */
    public ImageLayout imageLayout() {
        ElfFile.Section text = elf.section(".text").orElseThrow();
        long start = text.addr();
        long end = start + Math.max(1, text.size());
        for (ElfFile.ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ElfFile.PT_LOAD
                    && Long.compareUnsigned(ph.vaddr(), KernelAddressSpace.START_KERNEL_MAP) >= 0
                    && Long.compareUnsigned(ph.vaddr() + ph.memsz(), end) > 0) {
                end = ph.vaddr() + ph.memsz();
            }
        }
        return new ImageLayout(start, end);
    }

    /** The ELF symbol table, or empty when the image has none (stripped distribution vmlinux). */
    public Optional<KernelSymbols> symbols() throws IntrospectException {
        try {
            List<Map.Entry<String, Long>> entries = new ArrayList<>();
            for (ElfFile.Symbol s : elf.symbols(false)) {
                if (!s.name().isEmpty() && s.shndx() != 0) {
                    entries.add(Map.entry(s.name(), s.value()));
                }
            }
            return entries.isEmpty() ? Optional.empty() : Optional.of(KernelSymbols.of(path() + " .symtab", entries));
        } catch (ElfException e) {
            throw new IntrospectException(e.getMessage());
        }
    }

    /** The kernel's BTF (parsed once). */
    public synchronized Btf btf() throws IntrospectException {
        if (btf == null) {
            btf = Btf.fromElf(elf);
        }
        return btf;
    }
}
