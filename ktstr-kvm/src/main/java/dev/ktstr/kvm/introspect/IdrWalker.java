package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists the pointers stored in a kernel {@code struct idr} ({@code include/linux/idr.h}), which is an
 * XArray ({@code include/linux/xarray.h}, Documentation/core-api/xarray.rst): {@code xa_head} is
 * either a single entry or a tagged pointer ({@code ...10} in the low bits) to a {@code struct
 * xa_node} of 64 slots, each again an entry or a node. Internal entries that are not nodes (sibling,
 * retry, zero) and value entries ({@code ...1}) are skipped. The walk races with the guest: it is
 * bounded in depth and entry count so that a tree changing under it cannot loop.
 */
public final class IdrWalker {

    private static final int MAX_DEPTH = 12;
    private static final int MAX_ENTRIES = 1 << 20;

    private final KernelView kernel;
    private final long headOffset;
    private final long shiftOffset;
    private final long slotsOffset;
    private final int slots;

    /** Resolves {@code idr.idr_rt.xa_head}, {@code xa_node.shift} and {@code xa_node.slots} from BTF. */
    public IdrWalker(KernelView kernel) throws IntrospectException {
        Btf btf = kernel.btf();
        this.kernel = kernel;
        this.headOffset = btf.field("idr", "idr_rt.xa_head").byteOffset();
        this.shiftOffset = btf.field("xa_node", "shift").byteOffset();
        FieldLocation s = btf.field("xa_node", "slots");
        this.slotsOffset = s.byteOffset();
        this.slots = (int) (s.byteSize() / 8);
        if (slots != 16 && slots != 64) {
            throw new IntrospectException("xa_node.slots has " + slots + " entries (expected XA_CHUNK_SIZE 16 or 64)");
        }
    }

    /** The non-null pointers stored in the IDR at kernel address {@code idr}, in index order. */
    public List<Long> entries(long idr) throws IntrospectException {
        List<Long> out = new ArrayList<>();
        long head = kernel.u64(idr + headOffset);
        visit(head, 0, out);
        return out;
    }

    private void visit(long entry, int depth, List<Long> out) throws IntrospectException {
        if (entry == 0) {
            return;
        }
        if ((entry & 3) == 2) {
            if (Long.compareUnsigned(entry, 4096) <= 0) {
                return; // sibling, retry or zero entry
            }
            if (depth >= MAX_DEPTH) {
                throw new IntrospectException("IDR walk deeper than " + MAX_DEPTH + " levels at node 0x"
                        + Long.toHexString(entry - 2) + " (tree changed under the walk?)");
            }
            long node = entry - 2;
            int shift = (int) kernel.readUnsigned(node + shiftOffset, 1);
            if (shift % (slots == 64 ? 6 : 4) != 0 || shift > 60) {
                throw new IntrospectException("xa_node 0x" + Long.toHexString(node) + " has shift " + shift
                        + " (not a node: tree changed under the walk?)");
            }
            byte[] raw = kernel.read(node + slotsOffset, slots * 8);
            for (int i = 0; i < slots; i++) {
                visit(KernelView.le(raw, i * 8, 8), depth + 1, out);
            }
            return;
        }
        if ((entry & 1) == 1) {
            return; // value entry: not a pointer
        }
        if (out.size() >= MAX_ENTRIES) {
            throw new IntrospectException("IDR holds more than " + MAX_ENTRIES + " entries (tree changed under the walk?)");
        }
        out.add(entry);
    }
}
