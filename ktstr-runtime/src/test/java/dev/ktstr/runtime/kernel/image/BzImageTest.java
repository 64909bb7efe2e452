package dev.ktstr.runtime.kernel.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import dev.ktstr.runtime.kernel.testing.KernelFixtures.Payload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BzImageTest {

    @TempDir
    Path tmp;

    @Test
    void parsesHeaderAndReleaseOfAWellFormedImage() throws KernelException {
        byte[] img = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.ZSTD);
        BzImage h = BzImage.parse("t", img);
        assertEquals(0x020f, h.protocolVersion());
        assertEquals(3, h.setupSectors());
        assertEquals(4 * 512 + 0x100, h.payloadOffset());
        assertEquals(Compression.ZSTD, h.compression());
        assertEquals(KernelFixtures.RELEASE, h.release());
        assertTrue(BzImage.looksLikeBzImage(Arrays.copyOf(img, 0x210)));
    }

    @Test
    void zstdAndGzipPayloadsDecompressToTheElf() throws KernelException {
        byte[] elf = KernelFixtures.elf(true, true);
        for (Payload p : new Payload[] {Payload.ZSTD, Payload.GZIP}) {
            byte[] img = KernelFixtures.bzImage(elf, p);
            byte[] out = PayloadDecompressor.decompress("t", img, BzImage.parse("t", img));
            assertArrayEquals(elf, out, p.name());
        }
    }

    @Test
    void truncatedImageIsABadImage() {
        byte[] img = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.ZSTD);
        KernelException e = assertThrows(KernelException.class,
                () -> BzImage.parse("t", Arrays.copyOf(img, img.length - 200)));
        assertEquals(Kind.BAD_IMAGE, e.kind());
        assertTrue(e.getMessage().contains("outside the file"), e.getMessage());
        KernelException shortOne = assertThrows(KernelException.class, () -> BzImage.parse("t", new byte[100]));
        assertTrue(shortOne.getMessage().contains("too short"), shortOne.getMessage());
    }

    @Test
    void badMagicIsNamed() {
        byte[] img = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.ZSTD);
        byte[] noFlag = img.clone();
        noFlag[0x1fe] = 0;
        assertTrue(assertThrows(KernelException.class, () -> BzImage.parse("t", noFlag)).getMessage()
                .contains("boot flag"));
        byte[] noHdrS = img.clone();
        noHdrS[0x202] = 'X';
        assertTrue(assertThrows(KernelException.class, () -> BzImage.parse("t", noHdrS)).getMessage()
                .contains("HdrS"));
        byte[] old = img.clone();
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putShort(0x206, (short) 0x0206);
        assertTrue(assertThrows(KernelException.class, () -> BzImage.parse("t", old)).getMessage()
                .contains("2.06"));
    }

    @Test
    void unsupportedCompressionIsNamed() throws KernelException {
        byte[] img = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.XZ_MAGIC);
        BzImage h = BzImage.parse("t", img);
        assertEquals(Compression.XZ, h.compression());
        KernelException e = assertThrows(KernelException.class, () -> PayloadDecompressor.decompress("t", img, h));
        assertEquals(Kind.UNSUPPORTED_COMPRESSION, e.kind());
        assertTrue(e.getMessage().contains("unsupported compression xz"), e.getMessage());
    }

    @Test
    void everyCompressionMagicIsRecognised() {
        assertEquals(Compression.LZ4, Compression.detect(new byte[] {0x02, 0x21, 0x4c, 0x18, 0}, 0, 5));
        assertEquals(Compression.BZIP2, Compression.detect("BZh91".getBytes(), 0, 5));
        assertEquals(Compression.LZMA, Compression.detect(new byte[] {0x5d, 0, 0, (byte) 0x80}, 0, 4));
        assertEquals(Compression.LZO, Compression.detect(new byte[] {(byte) 0x89, 'L', 'Z', 'O', 0}, 0, 5));
        assertEquals(Compression.UNKNOWN, Compression.detect(new byte[] {1, 2, 3, 4}, 0, 4));
        assertFalse(Compression.LZ4.supported());
    }

    @Test
    void unknownPayloadAndCorruptStreamsAreBadImages() throws KernelException {
        byte[] garbage = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.GARBAGE);
        KernelException e = assertThrows(KernelException.class,
                () -> PayloadDecompressor.decompress("t", garbage, BzImage.parse("t", garbage)));
        assertEquals(Kind.BAD_IMAGE, e.kind());
        byte[] img = KernelFixtures.bzImage(KernelFixtures.elf(true, true), Payload.ZSTD);
        BzImage h = BzImage.parse("t", img);
        img[h.payloadOffset() + 20] ^= 0x55;
        img[h.payloadOffset() + 21] ^= 0x55;
        KernelException corrupt = assertThrows(KernelException.class, () -> PayloadDecompressor.decompress("t", img, h));
        assertEquals(Kind.BAD_IMAGE, corrupt.kind());
    }

    @Test
    void extractionWritesTheElfAndRecordsFacts() throws IOException, KernelException {
        Path image = KernelFixtures.writeImage(tmp, "bzImage");
        Path out = tmp.resolve("vmlinux");
        VmlinuxExtractor.Extracted x = VmlinuxExtractor.extract(image, out);
        assertTrue(x.facts().hasBtf());
        assertEquals(0x1000000L, x.facts().pvhEntry().orElseThrow());
        assertEquals(Files.size(out), x.vmlinuxSize());
        assertEquals(Sha256.ofFile(out), x.vmlinuxSha256());
    }

    @Test
    void elfFactsTellMissingBtfAndPvhAndWrongMachine() throws KernelException {
        VmlinuxFacts none = VmlinuxFacts.inspect("t", ByteBuffer.wrap(KernelFixtures.elf(false, false)));
        assertFalse(none.hasBtf());
        assertFalse(none.hasPvhEntry());
        assertEquals(KernelFixtures.RELEASE, VmlinuxFacts.bannerRelease(ByteBuffer.wrap(KernelFixtures.elf(false,
                false))));
        KernelException arm = assertThrows(KernelException.class,
                () -> VmlinuxFacts.inspect("t", ByteBuffer.wrap(KernelFixtures.elf(true, true, 183))));
        assertTrue(arm.getMessage().contains("not x86-64"), arm.getMessage());
        KernelException notElf = assertThrows(KernelException.class,
                () -> VmlinuxFacts.inspect("t", ByteBuffer.wrap(new byte[64])));
        assertTrue(notElf.getMessage().contains("not an ELF"), notElf.getMessage());
    }

    /**
     * The real Debian cloud kernel from the ktstr cache: the extraction must match what the zstd tool
     * itself decompresses from the same payload.
     */
    @Test
    void realDebianImageExtractsToWhatZstdItselfProduces() throws Exception {
        java.util.Optional<Path> cached = dev.ktstr.runtime.kernel.KernelEnvironment.system().kernelCacheRoot()
                .toFile().isDirectory() ? newestCachedBzImage() : java.util.Optional.empty();
        assumeTrue(cached.isPresent(), "no cached Debian kernel (./ktstr kernel fetch)");
        Path dev = cached.get();
        Path zstd = Path.of("/usr/bin/zstd");
        assumeTrue(Files.isExecutable(zstd), "zstd is not installed");
        byte[] image = Files.readAllBytes(dev);
        BzImage header = BzImage.parse(dev.toString(), image);
        assumeTrue(header.compression() == Compression.ZSTD, "the cached kernel is not zstd-compressed");
        Path payload = tmp.resolve("payload.zst");
        // The kernel appends the uncompressed size as 4 bytes; zstd wants the frame alone.
        Files.write(payload, java.util.Arrays.copyOfRange(image, header.payloadOffset(),
                header.payloadOffset() + header.payloadLength() - 4));
        Path ref = tmp.resolve("vmlinux.ref");
        Process p = new ProcessBuilder(zstd.toString(), "-q", "-d", "--long=31", payload.toString(), "-o",
                ref.toString()).redirectErrorStream(true).start();
        String zout = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), zout);
        Path out = tmp.resolve("vmlinux");
        VmlinuxExtractor.Extracted x = VmlinuxExtractor.extract(dev, out);
        assertEquals(Compression.ZSTD, x.header().compression());
        assertTrue(x.facts().hasBtf());
        assertTrue(x.facts().hasPvhEntry());
        assertEquals(Sha256.ofFile(ref), x.vmlinuxSha256());
    }

    private static java.util.Optional<Path> newestCachedBzImage() throws IOException {
        Path root = dev.ktstr.runtime.kernel.KernelEnvironment.system().kernelCacheRoot();
        try (var s = Files.list(root)) {
            return s.filter(d -> Files.isReadable(d.resolve("bzImage")) && Files.isRegularFile(d.resolve("metadata.json")))
                    .max(java.util.Comparator.comparing(d -> d.toFile().lastModified())).map(d -> d.resolve("bzImage"));
        }
    }
}
