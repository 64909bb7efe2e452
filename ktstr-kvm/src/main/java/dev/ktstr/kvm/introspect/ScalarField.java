package dev.ktstr.kvm.introspect;

/**
 * An integer member (1, 2, 4 or 8 bytes, not a bitfield) at a fixed offset inside a kernel struct,
 * resolved from BTF. Readers take a snapshot of the struct's bytes once and decode every field from
 * it, instead of one guest read per field.
 *
 * @param path   dotted path it was resolved from, e.g. {@code rq.scx.local_dsq.nr}
 * @param offset byte offset from the start of the outermost struct
 * @param size   1, 2, 4 or 8
 * @param signed whether the BTF type is a signed integer
 */
public record ScalarField(String path, long offset, int size, boolean signed) {

    /** Resolves {@code type.path} and checks it is a plain integer, enum or pointer. */
    public static ScalarField resolve(Btf btf, String type, String path) throws IntrospectException {
        FieldLocation loc = btf.field(type, path);
        return of(btf, loc);
    }

    /** Checks that {@code loc} is a plain integer, enum or pointer and wraps it. */
    public static ScalarField of(Btf btf, FieldLocation loc) throws IntrospectException {
        BtfType t = btf.resolved(loc.type());
        boolean signed;
        switch (t.kind()) {
            case INT:
                signed = ((BtfType.Int) t).signed();
                break;
            case ENUM:
            case ENUM64:
                signed = ((BtfType.Enum) t).signed();
                break;
            case PTR:
                signed = false;
                break;
            default:
                throw new IntrospectException(btf.origin() + ": " + loc.path() + " is " + btf.describe(loc.type())
                        + ", not an integer");
        }
        if (loc.isBitfield() || loc.bitOffset() % 8 != 0) {
            throw new IntrospectException(btf.origin() + ": " + loc.path() + " is a bitfield");
        }
        long size = loc.byteSize();
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IntrospectException(btf.origin() + ": " + loc.path() + " is " + size + " bytes, not 1, 2, 4 or 8");
        }
        return new ScalarField(loc.path(), loc.byteOffset(), (int) size, signed);
    }

    /** Byte just past the field. */
    public long end() {
        return offset + size;
    }

    /**
     * Decodes the field from a snapshot of the struct.
     *
     * @param snapshot bytes of the struct starting at struct offset {@code snapshotStart}
     */
    public long get(byte[] snapshot, long snapshotStart) {
        int at = (int) (offset - snapshotStart);
        long v = KernelView.le(snapshot, at, size);
        if (signed && size < 8) {
            int sh = 64 - 8 * size;
            v = (v << sh) >> sh;
        }
        return v;
    }

    /** Reads the field of the struct at {@code structKva} straight from guest memory. */
    public long read(KernelView kernel, long structKva) throws IntrospectException {
        long v = kernel.readUnsigned(structKva + offset, size);
        if (signed && size < 8) {
            int sh = 64 - 8 * size;
            v = (v << sh) >> sh;
        }
        return v;
    }
}
