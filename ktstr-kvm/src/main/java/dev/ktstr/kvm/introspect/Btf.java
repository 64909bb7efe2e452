package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only BTF blob: the kernel's {@code .BTF} section, or a BPF program's BTF copied out of
 * guest memory. Follows Documentation/bpf/btf.rst, section 2 ("BTF Type and String Encoding"): a
 * {@code struct btf_header}, then a type section of {@code struct btf_type} records (each followed
 * by its kind-specific data) numbered from 1, then a string section of NUL-terminated names.
 *
 * <p>Parsing indexes every type's position once; types are decoded on demand, names are indexed on
 * the first lookup by name. Only little-endian, self-contained (non-split) BTF is accepted. Instances
 * are immutable after construction and safe to share between threads once the name index is built
 * (lookups by name synchronise on first use).
 */
public final class Btf {

    /** {@code BTF_MAGIC}. */
    public static final int MAGIC = 0xeB9F;

    private static final int TYPE_HEADER = 12;

    private final String origin;
    private final ByteBuffer types;
    private final ByteBuffer strings;
    /** Byte offset into {@link #types} of type id i (index 0 unused: void). */
    private final int[] offsets;
    private Map<String, int[]> byName;

    private Btf(String origin, ByteBuffer types, ByteBuffer strings, int[] offsets) {
        this.origin = origin;
        this.types = types;
        this.strings = strings;
        this.offsets = offsets;
    }

    /** The {@code .BTF} section of a vmlinux (or any ELF with one). */
    public static Btf fromElf(ElfFile elf) throws IntrospectException {
        ElfFile.Section sec = elf.section(".BTF").orElseThrow(() -> new IntrospectException(elf.path()
                + " has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF)"));
        try {
            return parse(elf.path() + ":.BTF", elf.sectionBytes(sec));
        } catch (ElfException e) {
            throw new IntrospectException(e.getMessage());
        }
    }

    /**
     * Parses a complete BTF blob (header, types, strings).
     *
     * @param origin where the bytes came from, for messages (a path, "map 7 btf")
     */
    public static Btf parse(String origin, ByteBuffer raw) throws IntrospectException {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        int total = b.remaining();
        if (total < 24) {
            throw new IntrospectException(origin + ": " + total + " bytes is too short for a BTF header");
        }
        int magic = Short.toUnsignedInt(b.getShort(base));
        if (magic != MAGIC) {
            throw new IntrospectException(origin + ": bad BTF magic 0x" + Integer.toHexString(magic)
                    + " (want 0xeb9f little-endian)");
        }
        int version = b.get(base + 2) & 0xff;
        if (version != 1) {
            throw new IntrospectException(origin + ": BTF version " + version + " not supported (want 1)");
        }
        long hdrLen = Integer.toUnsignedLong(b.getInt(base + 4));
        long typeOff = Integer.toUnsignedLong(b.getInt(base + 8));
        long typeLen = Integer.toUnsignedLong(b.getInt(base + 12));
        long strOff = Integer.toUnsignedLong(b.getInt(base + 16));
        long strLen = Integer.toUnsignedLong(b.getInt(base + 20));
        if (hdrLen < 24 || hdrLen + typeOff + typeLen > total || hdrLen + strOff + strLen > total) {
            throw new IntrospectException(origin + ": BTF header (hdr_len " + hdrLen + ", types [" + typeOff + ", +"
                    + typeLen + "), strings [" + strOff + ", +" + strLen + ")) exceeds the " + total + " bytes given");
        }
        if (strLen == 0 || b.get((int) (base + hdrLen + strOff)) != 0) {
            throw new IntrospectException(origin + ": BTF string section must start with an empty string");
        }
        ByteBuffer typeSec = b.slice((int) (base + hdrLen + typeOff), (int) typeLen).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer strSec = b.slice((int) (base + hdrLen + strOff), (int) strLen).order(ByteOrder.LITTLE_ENDIAN);
        int[][] layout = null;
        if (hdrLen >= 32) {
            // Kernels since the "BTF kind layout" extension describe each kind's record size, so a
            // reader can step over kinds it does not know instead of failing on them.
            long layoutOff = Integer.toUnsignedLong(b.getInt(base + 24));
            long layoutLen = Integer.toUnsignedLong(b.getInt(base + 28));
            if (layoutLen > 0) {
                if (hdrLen + layoutOff + layoutLen > total || layoutLen % 4 != 0) {
                    throw new IntrospectException(origin + ": BTF kind layout section [" + layoutOff + ", +" + layoutLen
                            + ") is malformed");
                }
                layout = new int[(int) (layoutLen / 4)][];
                for (int k = 0; k < layout.length; k++) {
                    int at = (int) (base + hdrLen + layoutOff + 4L * k);
                    layout[k] = new int[] {b.get(at) & 0xff, b.get(at + 1) & 0xff};
                }
            }
        }
        return new Btf(origin, typeSec, strSec, index(origin, typeSec, strLen, layout));
    }

    private static int[] index(String origin, ByteBuffer t, long strLen, int[][] layout) throws IntrospectException {
        int[] offs = new int[1024];
        int n = 1;
        int p = 0;
        int len = t.capacity();
        while (p < len) {
            if (p + TYPE_HEADER > len) {
                throw new IntrospectException(origin + ": BTF type " + n + " at byte " + p + " is truncated");
            }
            int info = t.getInt(p + 4);
            int vlen = info & 0xffff;
            int kindValue = (info >>> 24) & 0x1f;
            BtfKind kind = BtfKind.of(kindValue);
            if (kind == null || kind == BtfKind.VOID) {
                if (layout == null || kindValue >= layout.length || kindValue == 0) {
                    throw new IntrospectException(origin + ": BTF type " + n + " at byte " + p + " has unknown kind "
                            + kindValue + " and the BTF has no kind layout to skip it");
                }
                kind = BtfKind.UNKNOWN;
            }
            int extra = kind == BtfKind.UNKNOWN ? layout[kindValue][0] + vlen * layout[kindValue][1] : switch (kind) {
                case INT, VAR, DECL_TAG -> 4;
                case ARRAY -> 12;
                case STRUCT, UNION, DATASEC -> 12 * vlen;
                case ENUM, FUNC_PROTO -> 8 * vlen;
                case ENUM64 -> 12 * vlen;
                default -> 0;
            };
            long nameOff = Integer.toUnsignedLong(t.getInt(p));
            if (nameOff >= strLen) {
                throw new IntrospectException(origin + ": BTF type " + n + " names string offset " + nameOff
                        + ", beyond the " + strLen + "-byte string section");
            }
            if (n == offs.length) {
                offs = java.util.Arrays.copyOf(offs, n * 2);
            }
            offs[n++] = p;
            p += TYPE_HEADER + extra;
        }
        if (p != len) {
            throw new IntrospectException(origin + ": BTF type section ends inside type " + (n - 1));
        }
        return java.util.Arrays.copyOf(offs, n);
    }

    /** Where this BTF came from (for messages). */
    public String origin() {
        return origin;
    }

    /** The number of type ids, counting id 0 ({@code void}). */
    public int typeCount() {
        return offsets.length;
    }

    /** Decodes type {@code id}. */
    public BtfType type(int id) {
        if (id == 0) {
            return new BtfType.Void();
        }
        if (id < 0 || id >= offsets.length) {
            throw new IllegalArgumentException(origin + ": BTF type id " + id + " out of range [0, " + offsets.length
                    + ")");
        }
        int p = offsets[id];
        String name = string(types.getInt(p));
        int info = types.getInt(p + 4);
        int vlen = info & 0xffff;
        boolean kindFlag = (info >>> 31) != 0;
        BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
        if (kind == null || kind == BtfKind.VOID) {
            return new BtfType.Unknown(id, (info >>> 24) & 0x1f, name);
        }
        int sizeOrType = types.getInt(p + 8);
        int d = p + TYPE_HEADER;
        return switch (kind) {
            case INT -> {
                int enc = types.getInt(d);
                yield new BtfType.Int(id, name, sizeOrType, (enc >>> 24) & 0x0f, (enc >>> 16) & 0xff, enc & 0xff);
            }
            case PTR -> new BtfType.Ptr(id, sizeOrType);
            case ARRAY -> new BtfType.Array(id, types.getInt(d), types.getInt(d + 4),
                    Integer.toUnsignedLong(types.getInt(d + 8)));
            case STRUCT, UNION -> {
                List<BtfType.Member> ms = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int m = d + 12 * i;
                    int off = types.getInt(m + 8);
                    long bitOff = kindFlag ? off & 0xffffff : Integer.toUnsignedLong(off);
                    int bfSize = kindFlag ? off >>> 24 : 0;
                    ms.add(new BtfType.Member(string(types.getInt(m)), types.getInt(m + 4), bitOff, bfSize));
                }
                yield new BtfType.Composite(id, kind, name, Integer.toUnsignedLong(sizeOrType), ms);
            }
            case ENUM -> {
                List<BtfType.Enumerator> vs = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int e = d + 8 * i;
                    int v = types.getInt(e + 4);
                    vs.add(new BtfType.Enumerator(string(types.getInt(e)), kindFlag ? v : Integer.toUnsignedLong(v)));
                }
                yield new BtfType.Enum(id, kind, name, sizeOrType, kindFlag, vs);
            }
            case ENUM64 -> {
                List<BtfType.Enumerator> vs = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int e = d + 12 * i;
                    long v = Integer.toUnsignedLong(types.getInt(e + 4)) | ((long) types.getInt(e + 8)) << 32;
                    vs.add(new BtfType.Enumerator(string(types.getInt(e)), v));
                }
                yield new BtfType.Enum(id, kind, name, sizeOrType, kindFlag, vs);
            }
            case FWD -> new BtfType.Fwd(id, name, kindFlag);
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> new BtfType.Ref(id, kind, name, sizeOrType);
            case FUNC -> new BtfType.Func(id, name, sizeOrType, vlen);
            case FUNC_PROTO -> {
                List<BtfType.Param> ps = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    ps.add(new BtfType.Param(string(types.getInt(d + 8 * i)), types.getInt(d + 8 * i + 4)));
                }
                yield new BtfType.FuncProto(id, sizeOrType, ps);
            }
            case VAR -> new BtfType.Var(id, name, sizeOrType, types.getInt(d));
            case DATASEC -> {
                List<BtfType.VarSecinfo> vs = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int v = d + 12 * i;
                    vs.add(new BtfType.VarSecinfo(types.getInt(v), Integer.toUnsignedLong(types.getInt(v + 4)),
                            Integer.toUnsignedLong(types.getInt(v + 8))));
                }
                yield new BtfType.Datasec(id, name, Integer.toUnsignedLong(sizeOrType), vs);
            }
            case FLOAT -> new BtfType.Float(id, name, sizeOrType);
            case DECL_TAG -> new BtfType.DeclTag(id, name, sizeOrType, types.getInt(d));
            case VOID, UNKNOWN -> throw new IllegalStateException("kind " + kind + " at id " + id);
        };
    }

    private String string(int off) {
        if (off < 0 || off >= strings.capacity()) {
            throw new IllegalArgumentException(origin + ": BTF string offset " + Integer.toUnsignedString(off)
                    + " outside the " + strings.capacity() + "-byte string section");
        }
        int e = off;
        while (e < strings.capacity() && strings.get(e) != 0) {
            e++;
        }
        byte[] b = new byte[e - off];
        strings.get(off, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** All type ids whose name is {@code name}, in id order. */
    public List<BtfType> byName(String name) {
        int[] ids = nameIndex().get(name);
        if (ids == null) {
            return List.of();
        }
        List<BtfType> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(type(id));
        }
        return out;
    }

    private synchronized Map<String, int[]> nameIndex() {
        if (byName == null) {
            Map<String, int[]> m = new HashMap<>(offsets.length * 2);
            for (int id = 1; id < offsets.length; id++) {
                int nameOff = types.getInt(offsets[id]);
                if (nameOff == 0) {
                    continue;
                }
                String n = string(nameOff);
                int[] prev = m.get(n);
                if (prev == null) {
                    m.put(n, new int[] {id});
                } else {
                    int[] next = java.util.Arrays.copyOf(prev, prev.length + 1);
                    next[prev.length] = id;
                    m.put(n, next);
                }
            }
            byName = m;
        }
        return byName;
    }

    /** The struct named {@code name} (a complete definition, not a forward declaration). */
    public Optional<BtfType.Composite> findStruct(String name) {
        return findComposite(name, BtfKind.STRUCT);
    }

    /** The union named {@code name}. */
    public Optional<BtfType.Composite> findUnion(String name) {
        return findComposite(name, BtfKind.UNION);
    }

    private Optional<BtfType.Composite> findComposite(String name, BtfKind kind) {
        for (BtfType t : byName(name)) {
            if (t instanceof BtfType.Composite c && c.kind() == kind) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The struct named {@code name}, or an exception naming the BTF it is missing from. */
    public BtfType.Composite struct(String name) throws IntrospectException {
        return findStruct(name).orElseThrow(() -> new IntrospectException(origin + ": no struct " + name + " in BTF"));
    }

    /** Follows typedef/const/volatile/restrict/type-tag links to the underlying type id. */
    public int resolve(int id) {
        int cur = id;
        for (int hops = 0; hops < 64; hops++) {
            BtfType t = type(cur);
            if (t instanceof BtfType.Ref r) {
                cur = r.target();
            } else {
                return cur;
            }
        }
        throw new IllegalStateException(origin + ": modifier chain from type " + id + " longer than 64 (a cycle?)");
    }

    /** The resolved type of {@code id}. */
    public BtfType resolved(int id) {
        return type(resolve(id));
    }

    /** Size in bytes of an object of type {@code id}. */
    public long sizeOf(int id) throws IntrospectException {
        BtfType t = resolved(id);
        switch (t.kind()) {
            case INT:
                return ((BtfType.Int) t).size();
            case ENUM:
            case ENUM64:
                return ((BtfType.Enum) t).size();
            case FLOAT:
                return ((BtfType.Float) t).size();
            case PTR:
                return 8;
            case STRUCT:
            case UNION:
                return ((BtfType.Composite) t).size();
            case DATASEC:
                return ((BtfType.Datasec) t).size();
            case ARRAY:
                BtfType.Array a = (BtfType.Array) t;
                return a.nelems() * sizeOf(a.elemType());
            case VAR:
                return sizeOf(((BtfType.Var) t).type());
            default:
                throw new IntrospectException(origin + ": type " + describe(id) + " has no size");
        }
    }

    /**
     * Locates the member at a dotted path inside the struct or union {@code typeName}, e.g.
     * {@code field("rq", "scx.local_dsq.nr")}. Members of anonymous structs/unions are found as if
     * they were direct members (as in C); a component may carry an array index ({@code slots[3]}).
     */
    public FieldLocation field(String typeName, String path) throws IntrospectException {
        BtfType.Composite c = findStruct(typeName).or(() -> findUnion(typeName)).orElseThrow(
                () -> new IntrospectException(origin + ": no struct or union " + typeName + " in BTF (looking for "
                        + typeName + "." + path + ")"));
        return field(c.id(), typeName, path);
    }

    /** Like {@link #field(String, String)} for the absent-is-normal case (a kernel without the member). */
    public Optional<FieldLocation> findField(String typeName, String path) {
        try {
            return Optional.of(field(typeName, path));
        } catch (IntrospectException e) {
            return Optional.empty();
        }
    }

    /** Locates a dotted member path inside the struct/union with type id {@code typeId}. */
    public FieldLocation field(int typeId, String label, String path) throws IntrospectException {
        String full = label + "." + path;
        int cur = typeId;
        long bitOff = 0;
        int bitfield = 0;
        for (String comp : path.split("\\.", -1)) {
            if (bitfield != 0) {
                throw new IntrospectException(origin + ": " + full + ": cannot descend into a bitfield");
            }
            String name = comp;
            long index = -1;
            int br = comp.indexOf('[');
            if (br >= 0) {
                if (!comp.endsWith("]")) {
                    throw new IntrospectException(origin + ": " + full + ": bad array component '" + comp + "'");
                }
                name = comp.substring(0, br);
                try {
                    index = Long.parseLong(comp.substring(br + 1, comp.length() - 1));
                } catch (NumberFormatException e) {
                    throw new IntrospectException(origin + ": " + full + ": bad array index in '" + comp + "'");
                }
            }
            if (!(resolved(cur) instanceof BtfType.Composite c)) {
                throw new IntrospectException(origin + ": " + full + ": '" + name + "' is looked up in "
                        + describe(cur) + ", which is not a struct or union");
            }
            long[] found = new long[2];
            BtfType.Member m = findMember(c, name, 0, found);
            if (m == null) {
                throw new IntrospectException(origin + ": " + full + ": " + describe(c.id()) + " has no member '"
                        + name + "'");
            }
            bitOff += found[0];
            cur = m.type();
            bitfield = m.bitfieldSize();
            if (bitfield == 0 && resolved(cur) instanceof BtfType.Int i && i.bits() != i.size() * 8L) {
                // Pre-kind_flag encoding: the bitfield lives in the INT type itself.
                bitfield = i.bits();
                bitOff += i.bitOffset();
            }
            if (index >= 0) {
                if (!(resolved(cur) instanceof BtfType.Array a)) {
                    throw new IntrospectException(origin + ": " + full + ": '" + name + "' is " + describe(cur)
                            + ", not an array");
                }
                if (index >= a.nelems() && a.nelems() != 0) {
                    throw new IntrospectException(origin + ": " + full + ": index " + index + " beyond "
                            + a.nelems() + " elements");
                }
                bitOff += index * sizeOf(a.elemType()) * 8;
                cur = a.elemType();
            }
        }
        return new FieldLocation(full, bitOff, bitfield, cur, sizeOf(cur));
    }

    /** Finds {@code name} in {@code c}, descending into anonymous members; found[0] = bit offset. */
    private BtfType.Member findMember(BtfType.Composite c, String name, int depth, long[] found) {
        if (depth > 32) {
            return null;
        }
        for (BtfType.Member m : c.members()) {
            if (m.name().equals(name)) {
                found[0] = m.bitOffset();
                return m;
            }
        }
        for (BtfType.Member m : c.members()) {
            if (m.name().isEmpty() && resolved(m.type()) instanceof BtfType.Composite inner) {
                BtfType.Member hit = findMember(inner, name, depth + 1, found);
                if (hit != null) {
                    found[0] += m.bitOffset();
                    return hit;
                }
            }
        }
        return null;
    }

    /** The value of enumerator {@code name} in any enum of this BTF (enumerator names are unique in C). */
    public Optional<Long> findEnumerator(String name) {
        for (int id = 1; id < offsets.length; id++) {
            int info = types.getInt(offsets[id] + 4);
            int kind = (info >>> 24) & 0x1f;
            if (kind == BtfKind.ENUM.value() || kind == BtfKind.ENUM64.value()) {
                for (BtfType.Enumerator e : ((BtfType.Enum) type(id)).values()) {
                    if (e.name().equals(name)) {
                        return Optional.of(e.value());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The value of enumerator {@code name}, or an exception naming it. */
    public long enumerator(String name) throws IntrospectException {
        return findEnumerator(name).orElseThrow(() -> new IntrospectException(origin + ": no enumerator " + name
                + " in BTF"));
    }

    /** The DATASEC named {@code name} ({@code .bss}, {@code .data..percpu}). */
    public Optional<BtfType.Datasec> findDatasec(String name) {
        for (BtfType t : byName(name)) {
            if (t instanceof BtfType.Datasec d) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** A C-like spelling of type {@code id} for messages: {@code struct rq}, {@code u64}, {@code int *}. */
    public String describe(int id) {
        BtfType t = type(id);
        String anon = "<anon#" + id + ">";
        switch (t.kind()) {
            case VOID:
                return "void";
            case STRUCT:
                return "struct " + (t.name().isEmpty() ? anon : t.name());
            case UNION:
                return "union " + (t.name().isEmpty() ? anon : t.name());
            case ENUM:
            case ENUM64:
                return "enum " + (t.name().isEmpty() ? anon : t.name());
            case PTR:
                return describe(((BtfType.Ptr) t).target()) + " *";
            case ARRAY:
                BtfType.Array a = (BtfType.Array) t;
                return describe(a.elemType()) + "[" + a.nelems() + "]";
            case TYPEDEF:
            case INT:
            case FLOAT:
                return t.name();
            case CONST:
            case VOLATILE:
            case RESTRICT:
            case TYPE_TAG:
                return t.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + describe(((BtfType.Ref) t).target());
            case FWD:
                return (((BtfType.Fwd) t).union() ? "union " : "struct ") + t.name() + " (declared only)";
            default:
                return t.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + t.name();
        }
    }

    @Override
    public String toString() {
        return "Btf[" + origin + ", " + (offsets.length - 1) + " types]";
    }
}
