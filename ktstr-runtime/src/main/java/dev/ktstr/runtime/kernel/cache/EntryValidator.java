package dev.ktstr.runtime.kernel.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ktstr.kvm.elf.ElfFile;
import dev.ktstr.runtime.kernel.FileFacts;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.image.BzImage;
import dev.ktstr.runtime.kernel.image.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Decides whether a cache directory may be booted. The quick check (every discovery) reads the
 * metadata, compares every listed file's size with the recorded one and checks the image and vmlinux
 * magic: that catches interrupted copies, truncation and foreign files in a few microseconds. The deep
 * check ({@code kernel list --verify}) also recomputes every SHA-256.
 */
public final class EntryValidator {

    private EntryValidator() {}

    /** Validates {@code dir}; never throws for a bad entry, it returns a {@link CorruptEntry}. */
    public static EntryStatus check(Path dir, boolean deep) {
        String key = dir.getFileName().toString();
        Path metaFile = dir.resolve(KernelCache.METADATA);
        if (!Files.isRegularFile(metaFile)) {
            return new CorruptEntry(key, dir, KernelCache.METADATA + " is missing");
        }
        KernelMetadata m;
        try {
            m = MetadataJson.read(Files.readString(metaFile));
        } catch (JsonProcessingException e) {
            return new CorruptEntry(key, dir, KernelCache.METADATA + " is not valid metadata: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            return new CorruptEntry(key, dir, "cannot read " + KernelCache.METADATA + ": " + e);
        }
        String problem = problem(dir, key, m, deep);
        return problem == null ? new CacheEntry(key, dir, m) : new CorruptEntry(key, dir, problem);
    }

    private static String problem(Path dir, String key, KernelMetadata m, boolean deep) {
        if (m.schema() != KernelMetadata.SCHEMA) {
            return KernelCache.METADATA + " has schema " + m.schema() + ", this ktstr reads " + KernelMetadata.SCHEMA;
        }
        if (!key.equals(m.key())) {
            return KernelCache.METADATA + " names key '" + m.key() + "' but the directory is '" + key + "'";
        }
        if (m.source() == null || m.release() == null || m.files() == null) {
            return KernelCache.METADATA + " lacks source, release or files";
        }
        if (!m.files().containsKey(KernelCache.IMAGE)) {
            return KernelCache.METADATA + " lists no " + KernelCache.IMAGE;
        }
        for (Map.Entry<String, FileFacts> f : m.files().entrySet()) {
            String p = fileProblem(dir.resolve(f.getKey()), f.getKey(), f.getValue(), deep);
            if (p != null) {
                return p;
            }
        }
        return magicProblem(dir, m);
    }

    private static String fileProblem(Path file, String name, FileFacts facts, boolean deep) {
        if (name.contains("/") || name.startsWith(".")) {
            return KernelCache.METADATA + " lists an odd file name '" + name + "'";
        }
        try {
            if (!Files.isRegularFile(file)) {
                return name + " is missing";
            }
            long size = Files.size(file);
            if (size != facts.size()) {
                return name + " is " + size + " bytes, " + KernelCache.METADATA + " says " + facts.size();
            }
            if (deep) {
                String sha = Sha256.ofFile(file);
                if (!sha.equals(facts.sha256())) {
                    return name + " has SHA-256 " + sha + ", " + KernelCache.METADATA + " says " + facts.sha256();
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot read " + name + ": " + e;
        }
    }

    private static String magicProblem(Path dir, KernelMetadata m) {
        try {
            if (!BzImage.looksLikeBzImage(head(dir.resolve(KernelCache.IMAGE), 0x210))) {
                return KernelCache.IMAGE + " has no x86 boot header";
            }
            if (m.files().containsKey(KernelCache.VMLINUX)
                    && !ElfFile.looksLikeElf(ByteBuffer.wrap(head(dir.resolve(KernelCache.VMLINUX), 4)))) {
                return KernelCache.VMLINUX + " is not an ELF file";
            }
            return null;
        } catch (IOException e) {
            return "cannot read the entry's files: " + e;
        }
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }
}
