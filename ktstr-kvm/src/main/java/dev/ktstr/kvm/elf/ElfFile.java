package dev.ktstr.kvm.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed ELF64 little-endian file, memory-mapped read-only. Construction validates the identity
 * and header tables and fails with {@link ElfException} naming what is wrong.
 */
public final class ElfFile {

    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOTE = 7;
    public static final int SHT_DYNSYM = 11;
    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_STRTAB = 5;
    public static final long DT_RPATH = 15;
    public static final long DT_RUNPATH = 29;

    private final Path path;
    private final ByteBuffer buf;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<ProgramHeader> programHeaders;
    private final List<Section> sections;

    private ElfFile(Path path, ByteBuffer buf) throws ElfException {
        this.path = path;
        this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        if (buf.capacity() < 64) {
            throw new ElfException(path + ": too short for an ELF header (" + buf.capacity() + " bytes)");
        }
        if (buf.getInt(0) != 0x464c457f) {
            throw new ElfException(path + ": not an ELF file (bad magic)");
        }
        if (buf.get(4) != 2) {
            throw new ElfException(path + ": not a 64-bit ELF file");
        }
        if (buf.get(5) != 1) {
            throw new ElfException(path + ": not a little-endian ELF file");
        }
        type = Short.toUnsignedInt(buf.getShort(16));
        machine = Short.toUnsignedInt(buf.getShort(18));
        entry = buf.getLong(24);
        long phoff = buf.getLong(32);
        long shoff = buf.getLong(40);
        int phentsize = Short.toUnsignedInt(buf.getShort(54));
        int phnum = Short.toUnsignedInt(buf.getShort(56));
        int shentsize = Short.toUnsignedInt(buf.getShort(58));
        int shnum = Short.toUnsignedInt(buf.getShort(60));
        int shstrndx = Short.toUnsignedInt(buf.getShort(62));

        List<ProgramHeader> phs = new ArrayList<>();
        if (phnum > 0) {
            checkRange(phoff, (long) phentsize * phnum, "program header table");
            for (int i = 0; i < phnum; i++) {
                int o = Math.toIntExact(phoff + (long) i * phentsize);
                phs.add(new ProgramHeader(buf.getInt(o), buf.getInt(o + 4), buf.getLong(o + 8), buf.getLong(o + 16),
                        buf.getLong(o + 24), buf.getLong(o + 32), buf.getLong(o + 40), buf.getLong(o + 48)));
            }
        }
        programHeaders = List.copyOf(phs);

        List<Section> secs = new ArrayList<>();
        if (shnum > 0 && shoff != 0) {
            checkRange(shoff, (long) shentsize * shnum, "section header table");
            List<long[]> raw = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int o = Math.toIntExact(shoff + (long) i * shentsize);
                raw.add(new long[] {Integer.toUnsignedLong(buf.getInt(o)), Integer.toUnsignedLong(buf.getInt(o + 4)),
                    buf.getLong(o + 8), buf.getLong(o + 16), buf.getLong(o + 24), buf.getLong(o + 32),
                    Integer.toUnsignedLong(buf.getInt(o + 40)), Integer.toUnsignedLong(buf.getInt(o + 44)),
                    buf.getLong(o + 56)});
            }
            long[] strtab = shstrndx < raw.size() ? raw.get(shstrndx) : null;
            for (long[] r : raw) {
                String name = strtab == null ? "" : cString(strtab[4] + r[0], strtab[4] + strtab[5]);
                secs.add(new Section(name, (int) r[1], r[2], r[3], r[4], r[5], (int) r[6], (int) r[7], r[8]));
            }
        }
        sections = List.copyOf(secs);
    }

    /** Maps and parses {@code path}. */
    public static ElfFile open(Path path) throws IOException, ElfException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfException(path + ": larger than 2 GiB");
            }
            return new ElfFile(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    /** Parses bytes already in memory. */
    public static ElfFile parse(String name, ByteBuffer bytes) throws ElfException {
        return new ElfFile(Path.of(name), bytes.duplicate());
    }

    /** Whether the file starts with the ELF magic (cheap check, no parse). */
    public static boolean looksLikeElf(ByteBuffer head) {
        return head.remaining() >= 4 && head.order(ByteOrder.LITTLE_ENDIAN).getInt(head.position()) == 0x464c457f;
    }

    public Path path() {
        return path;
    }

    public int type() {
        return type;
    }

    /** e_machine: 62 = x86-64, 183 = aarch64. */
    public int machine() {
        return machine;
    }

    public long entry() {
        return entry;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A read-only little-endian view of a file range. */
    public ByteBuffer bytes(long offset, long size) throws ElfException {
        checkRange(offset, size, "range");
        return buf.slice(Math.toIntExact(offset), Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN)
                .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The bytes of a section (empty for SHT_NOBITS). */
    public ByteBuffer sectionBytes(Section s) throws ElfException {
        return s.type() == 8 ? ByteBuffer.allocate(0) : bytes(s.offset(), s.size());
    }

    /** The file bytes of a segment ({@code filesz} bytes). */
    public ByteBuffer segmentBytes(ProgramHeader ph) throws ElfException {
        return bytes(ph.offset(), ph.filesz());
    }

    /** Notes from PT_NOTE segments, or from SHT_NOTE sections when there are no program headers. */
    public List<Note> notes() throws ElfException {
        List<Note> out = new ArrayList<>();
        boolean fromSegments = false;
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == PT_NOTE) {
                fromSegments = true;
                parseNotes(ph.offset(), ph.filesz(), out);
            }
        }
        if (!fromSegments) {
            for (Section s : sections) {
                if (s.type() == SHT_NOTE) {
                    parseNotes(s.offset(), s.size(), out);
                }
            }
        }
        return out;
    }

    private void parseNotes(long off, long size, List<Note> out) throws ElfException {
        checkRange(off, size, "note area");
        long p = off;
        long end = off + size;
        while (p + 12 <= end) {
            int namesz = buf.getInt((int) p);
            int descsz = buf.getInt((int) p + 4);
            int ntype = buf.getInt((int) p + 8);
            long nameOff = p + 12;
            long descOff = nameOff + align4(namesz);
            long next = descOff + align4(descsz);
            if (namesz < 0 || descsz < 0 || next > end) {
                throw new ElfException(path + ": malformed note at file offset " + p);
            }
            String name = namesz == 0 ? "" : cString(nameOff, nameOff + namesz);
            byte[] desc = new byte[descsz];
            buf.get((int) descOff, desc);
            out.add(new Note(name, ntype, desc));
            p = next;
        }
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    /** Symbols of {@code .symtab} (or {@code .dynsym} if {@code dynamic}). */
    public List<Symbol> symbols(boolean dynamic) throws ElfException {
        int want = dynamic ? SHT_DYNSYM : SHT_SYMTAB;
        List<Symbol> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != want) {
                continue;
            }
            if (s.link() >= sections.size()) {
                throw new ElfException(path + ": symbol table " + s.name() + " links to missing string table");
            }
            Section str = sections.get(s.link());
            checkRange(s.offset(), s.size(), "symbol table");
            checkRange(str.offset(), str.size(), "symbol string table");
            long entsize = s.entsize() == 0 ? 24 : s.entsize();
            for (long o = s.offset(); o + 24 <= s.offset() + s.size(); o += entsize) {
                int io = (int) o;
                long nameIdx = Integer.toUnsignedLong(buf.getInt(io));
                int info = buf.get(io + 4) & 0xff;
                int shndx = Short.toUnsignedInt(buf.getShort(io + 6));
                long value = buf.getLong(io + 8);
                long size = buf.getLong(io + 16);
                String name = nameIdx == 0 ? "" : cString(str.offset() + nameIdx, str.offset() + str.size());
                out.add(new Symbol(name, value, size, info & 0xf, info >> 4, shndx));
            }
        }
        return out;
    }

    /** Named symbols from {@code .symtab} as name → value (first definition wins). */
    public Map<String, Long> symbolValues() throws ElfException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Symbol s : symbols(false)) {
            if (!s.name().isEmpty() && s.shndx() != 0) {
                out.putIfAbsent(s.name(), s.value());
            }
        }
        return out;
    }

    /** The program interpreter (PT_INTERP), e.g. {@code /lib64/ld-linux-x86-64.so.2}. */
    public Optional<String> interpreter() throws ElfException {
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == PT_INTERP) {
                checkRange(ph.offset(), ph.filesz(), "PT_INTERP");
                return Optional.of(cString(ph.offset(), ph.offset() + ph.filesz()));
            }
        }
        return Optional.empty();
    }

    /** DT_* entries of the dynamic segment with string values resolved: NEEDED, RPATH, RUNPATH. */
    public DynamicInfo dynamicInfo() throws ElfException {
        ProgramHeader dyn = programHeaders.stream().filter(p -> p.type() == PT_DYNAMIC).findFirst().orElse(null);
        if (dyn == null) {
            return new DynamicInfo(List.of(), List.of(), List.of());
        }
        checkRange(dyn.offset(), dyn.filesz(), "dynamic segment");
        List<long[]> entries = new ArrayList<>();
        long strtabVaddr = -1;
        for (long o = dyn.offset(); o + 16 <= dyn.offset() + dyn.filesz(); o += 16) {
            long tag = buf.getLong((int) o);
            long val = buf.getLong((int) o + 8);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_STRTAB) {
                strtabVaddr = val;
            }
            entries.add(new long[] {tag, val});
        }
        if (strtabVaddr < 0) {
            throw new ElfException(path + ": dynamic segment without DT_STRTAB");
        }
        long strtabOff = vaddrToOffset(strtabVaddr);
        List<String> needed = new ArrayList<>();
        List<String> rpath = new ArrayList<>();
        List<String> runpath = new ArrayList<>();
        for (long[] e : entries) {
            if (e[0] == DT_NEEDED || e[0] == DT_RPATH || e[0] == DT_RUNPATH) {
                String s = cString(strtabOff + e[1], buf.capacity());
                if (e[0] == DT_NEEDED) {
                    needed.add(s);
                } else {
                    List<String> target = e[0] == DT_RPATH ? rpath : runpath;
                    for (String part : s.split(":")) {
                        if (!part.isEmpty()) {
                            target.add(part);
                        }
                    }
                }
            }
        }
        return new DynamicInfo(needed, rpath, runpath);
    }

    /** File offset of a virtual address inside a PT_LOAD segment. */
    public long vaddrToOffset(long vaddr) throws ElfException {
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == PT_LOAD && vaddr >= ph.vaddr() && vaddr < ph.vaddr() + ph.filesz()) {
                return ph.offset() + (vaddr - ph.vaddr());
            }
        }
        throw new ElfException(path + ": virtual address 0x" + Long.toHexString(vaddr) + " is not in a loaded segment");
    }

    private String cString(long start, long limit) throws ElfException {
        if (start < 0 || start >= buf.capacity()) {
            throw new ElfException(path + ": string offset " + start + " outside the file");
        }
        int s = (int) start;
        int lim = (int) Math.min(limit, buf.capacity());
        int e = s;
        while (e < lim && buf.get(e) != 0) {
            e++;
        }
        byte[] b = new byte[e - s];
        buf.get(s, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void checkRange(long off, long size, String what) throws ElfException {
        if (off < 0 || size < 0 || off + size > buf.capacity()) {
            throw new ElfException(path + ": " + what + " [" + off + ", +" + size + ") lies outside the file ("
                    + buf.capacity() + " bytes)");
        }
    }

    /** An ELF program header. */
    public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz,
            long align) {}

    /** An ELF section header with its name resolved. */
    public record Section(String name, int type, long flags, long addr, long offset, long size, int link, int info,
            long entsize) {}

    /** An ELF note. */
    public record Note(String name, int type, byte[] desc) {
        public ByteBuffer descBuffer() {
            return ByteBuffer.wrap(desc).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** A symbol table entry. {@code type}: 0 NOTYPE, 1 OBJECT, 2 FUNC; {@code bind}: 0 LOCAL, 1 GLOBAL, 2 WEAK. */
    public record Symbol(String name, long value, long size, int type, int bind, int shndx) {}

    /** The dynamic section's library search facts. */
    public record DynamicInfo(List<String> needed, List<String> rpath, List<String> runpath) {}
}
