package dev.ktstr.kvm.initramfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Maps a cached base segment copy-on-write into memory the caller already owns, for the own VMM: the
 * guest RAM at the initrd address becomes a private mapping of the segment, so every VM shares the
 * base's physical pages until the guest writes to them (the kernel frees the initrd after unpacking
 * it and reuses the pages).
 *
 * <p>{@code mmap(hostAddress, round_up(length, page), PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_POPULATE,
 * fd, 0)}, then {@code mprotect(PROT_READ|PROT_WRITE)}. The two steps matter: populating a
 * <em>writable</em> private mapping write-faults every page to break copy-on-write up front
 * ({@code mm/gup.c: populate_vma_page_range}), which would copy the whole base into every VM; a
 * read-only populate maps the segment's own pages, and the later {@code mprotect} leaves them
 * write-protected, so only pages the guest writes are copied.
 *
 * <p>Requirements, checked here:
 * <ul>
 *   <li>{@code hostAddress} is page-aligned (4096 on x86-64): the initrd's guest physical address
 *       must be page-aligned and the guest RAM mapping page-aligned, which every VMM's is;</li>
 *   <li>{@code length} is at most the segment's size: pages past the end of the file would raise
 *       SIGBUS; the rest of the last page reads as zeros, so the per-run suffix is written right
 *       after {@code length} bytes, into that page and the plain RAM beyond.</li>
 * </ul>
 * And for the caller: {@code [hostAddress, hostAddress + round_up(length))} must lie inside a
 * mapping the caller owns (the guest RAM region) — {@code MAP_FIXED} silently replaces whatever is
 * mapped there; map before the vCPUs run (KVM's memslot keeps the same host virtual address and
 * picks up the new pages through its MMU notifier); the range is then no longer part of any shared
 * memfd backing the rest of guest RAM, so read it only through this process's mapping. Unmapping
 * the guest RAM unmaps this too.
 */
public final class CowMapping {

    private CowMapping() {}

    /** The host page size. */
    public static long pageSize() {
        return LibC.C.getpagesize();
    }

    /** Maps the first {@code length} bytes of {@code segment} privately at {@code hostAddress}. */
    public static void mapPrivateFixed(Path segment, long hostAddress, long length) throws IOException {
        int fd;
        try {
            fd = LibC.C.open(segment.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + segment + " for mapping: errno " + e.getErrorCode(), e);
        }
        try {
            mapPrivateFixed(fd, segment.toString(), hostAddress, length);
        } finally {
            try {
                LibC.C.close(fd);
            } catch (LastErrorException e) {
                throw new IOException("close of " + segment + " after mapping failed: errno " + e.getErrorCode(), e);
            }
        }
    }

    static void mapPrivateFixed(int fd, String what, long hostAddress, long length) throws IOException {
        long page = pageSize();
        if (hostAddress == 0 || hostAddress % page != 0) {
            throw new IllegalArgumentException("host address 0x" + Long.toHexString(hostAddress)
                    + " is not page-aligned (page " + page + "): MAP_FIXED needs an aligned address");
        }
        long size = LibC.fstat(fd).size();
        if (length <= 0 || length > size) {
            throw new IllegalArgumentException("length " + length + " outside (0, " + size + "] of " + what
                    + ": pages past the end of the file would fault with SIGBUS");
        }
        long mapped = (length + page - 1) / page * page;
        try {
            Pointer p = LibC.C.mmap(new Pointer(hostAddress), mapped, LibC.PROT_READ,
                    LibC.MAP_PRIVATE | LibC.MAP_FIXED | LibC.MAP_POPULATE, fd, 0);
            if (Pointer.nativeValue(p) != hostAddress) {
                throw new IOException("mmap of " + what + " landed at 0x" + Long.toHexString(Pointer.nativeValue(p))
                        + ", not 0x" + Long.toHexString(hostAddress));
            }
        } catch (LastErrorException e) {
            throw new IOException("mmap(MAP_PRIVATE|MAP_FIXED) of " + what + " at 0x" + Long.toHexString(hostAddress)
                    + " (" + mapped + " bytes) failed: errno " + e.getErrorCode(), e);
        }
        try {
            LibC.C.mprotect(new Pointer(hostAddress), mapped, LibC.PROT_READ | LibC.PROT_WRITE);
        } catch (LastErrorException e) {
            throw new IOException("mprotect(PROT_READ|PROT_WRITE) of " + what + " mapped at 0x"
                    + Long.toHexString(hostAddress) + " failed: errno " + e.getErrorCode()
                    + "; the range stays mapped read-only", e);
        }
    }
}
