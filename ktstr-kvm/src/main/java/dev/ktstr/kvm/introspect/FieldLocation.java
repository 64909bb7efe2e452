package dev.ktstr.kvm.introspect;

/**
 * Where a (possibly nested) member lives inside a type, as resolved from BTF by {@link Btf#field}.
 *
 * @param path         the dotted path that was looked up, e.g. {@code rq.scx.local_dsq.nr}
 * @param bitOffset    offset of the member from the start of the outermost type, in bits
 * @param bitfieldSize width in bits for a bitfield member, 0 for an ordinary member
 * @param type         BTF type id of the member (unresolved: may be a typedef)
 * @param byteSize     size in bytes of the member's type (for a bitfield: of its storage type)
 */
public record FieldLocation(String path, long bitOffset, int bitfieldSize, int type, long byteSize) {

    public boolean isBitfield() {
        return bitfieldSize != 0;
    }

    /** Offset in bytes; a bitfield or a member not on a byte boundary has none. */
    public long byteOffset() {
        if (isBitfield() || bitOffset % 8 != 0) {
            throw new IllegalStateException(path + " is a bitfield at bit " + bitOffset + " (width " + bitfieldSize
                    + "): it has no byte offset; use Fields.extractBits");
        }
        return bitOffset / 8;
    }

    /** Extracts this bitfield (or whole member of at most 8 bytes) from {@code word}, read at byte {@code base}. */
    public long extractBits(long word, long base) {
        int width = isBitfield() ? bitfieldSize : (int) (byteSize * 8);
        int shift = (int) (bitOffset - base * 8);
        if (shift < 0 || shift + width > 64) {
            throw new IllegalArgumentException(path + ": bits [" + bitOffset + ", +" + width
                    + ") are not inside the 64-bit word at byte " + base);
        }
        long v = word >>> shift;
        return width == 64 ? v : v & ((1L << width) - 1);
    }
}
