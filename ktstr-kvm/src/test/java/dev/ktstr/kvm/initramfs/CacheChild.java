package dev.ktstr.kvm.initramfs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A second JVM for {@link BaseCacheTest}: plans the base of one init file and uses the cache as the
 * parent tells it over stdin/stdout.
 *
 * <ul>
 *   <li>{@code obtain DIR PREFIX INIT}: prints {@code ready}, waits for {@code go}, obtains, prints
 *       {@code result built=B size=N}, waits for {@code exit} (or EOF), closes the cache, prints
 *       {@code closed}.</li>
 *   <li>{@code obtain-and-hang DIR PREFIX INIT}: obtains at once, prints the result, then sleeps
 *       until it is killed.</li>
 *   <li>{@code hold-gate DIR PREFIX INIT}: takes the build gate of the key and starts a partial
 *       segment as a builder would, prints {@code holding}, then sleeps until it is killed.</li>
 * </ul>
 */
public final class CacheChild {

    private CacheChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        String prefix = args[2];
        Path init = Path.of(args[3]);
        BasePlan plan = new BasePlanner(new SharedLibraryResolver(SharedLibraryResolver.Config.system()
                .withLdLibraryPath("")), List.of("/usr/bin")).plan(BaseSpec.builder(init).build());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (mode) {
            case "obtain" -> {
                try (BaseCache cache = new BaseCache(dir, prefix, Duration.ofMinutes(2), null)) {
                    say("ready");
                    if (!"go".equals(in.readLine())) {
                        throw new IllegalStateException("expected go");
                    }
                    CachedBase b = cache.obtain(plan);
                    say("result built=" + b.builtHere() + " size=" + b.size());
                    in.readLine();
                }
                say("closed");
            }
            case "obtain-and-hang" -> {
                BaseCache cache = new BaseCache(dir, prefix, Duration.ofMinutes(2), null);
                CachedBase b = cache.obtain(plan);
                say("result built=" + b.builtHere() + " size=" + b.size());
                Thread.sleep(Long.MAX_VALUE);
            }
            case "hold-gate" -> {
                int gate = LibC.C.open(dir.resolve(prefix + plan.key() + ".lock").toString(),
                        LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
                LibC.C.flock(gate, LibC.LOCK_EX);
                Path tmp = dir.resolve(prefix + plan.key() + ".tmp." + ProcessHandle.current().pid() + ".1");
                int t = LibC.C.open(tmp.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0600);
                LibC.C.flock(t, LibC.LOCK_SH);
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    o.write(new byte[4096]);
                }
                say("holding");
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
