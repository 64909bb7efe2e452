package dev.ktstr.kvm.initramfs;

import dev.ktstr.kvm.engine.InitramfsPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prepares the initramfs of each VM: plans the base from a {@link BaseSpec} (cheap once the inputs
 * were seen: a {@code stat} per input), takes it from the {@link BaseCache} (built once per content
 * across threads and processes) and pairs it with the run's {@link Suffix}.
 *
 * <pre>{@code
 * Initramfs initramfs = Initramfs.system();            // once per process
 * BaseSpec base = BaseSpec.builder(agent).scheduler(scx).include("stress-ng").build();
 * PreparedInitramfs p = initramfs.prepare(base,          // per VM
 *         Suffix.builder().file("/ktstr/args", args).build());
 * vmSpec(..., p.parts(), ...);
 * }</pre>
 */
public final class Initramfs {

    private final BasePlanner planner;
    private final BaseCache cache;

    public Initramfs(BasePlanner planner, BaseCache cache) {
        this.planner = planner;
        this.cache = cache;
    }

    /** This process's {@code PATH}/{@code LD_LIBRARY_PATH}/{@code ld.so.cache} and the shared {@code /dev/shm} cache. */
    public static Initramfs system() {
        return new Initramfs(BasePlanner.system(), BaseCache.shared());
    }

    public BasePlanner planner() {
        return planner;
    }

    public BaseCache cache() {
        return cache;
    }

    /** The base from the cache plus the suffix. */
    public PreparedInitramfs prepare(BaseSpec base, Suffix suffix) throws IOException, InitramfsException {
        BasePlan plan = planner.plan(base);
        CachedBase cached = cache.obtain(plan);
        return new PreparedInitramfs(cached.part(), suffix, plan.key(), plan.uncompressedSize() + suffix.cpioSize());
    }

    /** The base built into memory for this VM alone (no cache), plus the suffix. */
    public PreparedInitramfs prepareUncached(BaseSpec base, Suffix suffix) throws IOException, InitramfsException {
        BasePlan plan = planner.plan(base);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                plan.uncompressedSize() / 2 + 1024));
        ArchiveWriter.writeBase(plan, out, null);
        return new PreparedInitramfs(new InitramfsPart.BytesPart(ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer()),
                suffix, plan.key(), plan.uncompressedSize() + suffix.cpioSize());
    }

    /** Writes the parts one after the other, e.g. into the single {@code -initrd} file QEMU takes. */
    public static void concatenate(List<InitramfsPart> parts, OutputStream out) throws IOException {
        for (InitramfsPart part : parts) {
            if (part instanceof InitramfsPart.FilePart f) {
                try (InputStream in = Files.newInputStream(f.path())) {
                    long n = in.transferTo(out);
                    if (n != f.size()) {
                        throw new IOException(f.path() + " holds " + n + " bytes, the part says " + f.size());
                    }
                }
            } else if (part instanceof InitramfsPart.BytesPart b) {
                Channels.newChannel(out).write(b.bytes().duplicate());
            }
        }
        out.flush();
    }

    /** {@link #concatenate(List, OutputStream)} into a new file. */
    public static void concatenate(List<InitramfsPart> parts, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            concatenate(parts, out);
        }
    }
}
