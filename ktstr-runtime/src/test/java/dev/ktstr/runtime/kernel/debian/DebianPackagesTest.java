package dev.ktstr.runtime.kernel.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.KernelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DebianPackagesTest {

    private static DebianKernelVersion v(String s) {
        return DebianKernelVersion.parse(s).orElseThrow();
    }

    @Test
    void versionsOrderNumericallyNotLexically() {
        List<String> sorted = Stream.of("7.2.9+deb13", "7.3.4+deb13", "7.2.12+deb13", "7.10.1+deb13", "6.12.4+deb13")
                .map(DebianPackagesTest::v).sorted(Comparator.reverseOrder()).map(DebianKernelVersion::text).toList();
        assertEquals(List.of("7.10.1+deb13", "7.3.4+deb13", "7.2.12+deb13", "7.2.9+deb13", "6.12.4+deb13"), sorted);
        assertEquals("7.3.4", v("7.3.4+deb13").upstream());
        assertTrue(DebianKernelVersion.parse("cloud").isEmpty());
    }

    @Test
    void specsMatchExactlyOrByNumericPrefix() {
        assertTrue(v("7.2.12+deb13").matches("7.2"));
        assertTrue(v("7.2.12+deb13").matches("7"));
        assertTrue(v("7.2.12+deb13").matches("7.2.12"));
        assertFalse(v("7.20.1+deb13").matches("7.2"));
        assertTrue(v("7.3.4+deb13").matches("7.3.4+deb13"));
        assertFalse(v("7.3.4+deb13").matches("7.3.4+deb14"));
        assertFalse(v("7.3.4+deb13").matches("latest"));
    }

    @Test
    void packageNamesOfExactlyTheFlavour() {
        assertEquals(Optional.of(v("7.3.4+deb13")),
                KernelPackages.versionOf("linux-binary-unsigned-7.3.4+deb13-cloud-amd64", "cloud-amd64"));
        assertTrue(KernelPackages.versionOf("linux-binary-unsigned-7.3.4+deb13-cloud-amd64", "amd64").isEmpty());
        assertTrue(KernelPackages.versionOf("linux-base-7.3.4+deb13-cloud-amd64", "cloud-amd64").isEmpty());
        KernelPackages p = new KernelPackages(v("7.3.4+deb13"), "cloud-amd64");
        assertEquals("linux-binary-unsigned-7.3.4+deb13-cloud-amd64", p.imagePackage());
        assertEquals("linux-base-7.3.4+deb13-cloud-amd64", p.configPackage());
        assertEquals("7.3.4+deb13-cloud-amd64", p.release());
        assertTrue("linux-binary-unsigned-7.3.4+deb13-cloud-amd64".matches(
                KernelPackages.searchPattern("cloud-amd64").replace("\\-", "-")));
    }

    @Test
    void printUrisOutputGivesUrlSizeAndChecksum() throws IOException, KernelException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("print-uris.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<DebDownload> d = DebDownload.parsePrintUris(text);
        assertEquals(2, d.size());
        DebDownload image = d.get(1);
        assertEquals("linux-binary-unsigned-7.3.4+deb13-cloud-amd64", image.packageName());
        assertEquals("7.3.4-1~bpo13+1", image.packageVersion());
        assertEquals(13602692, image.size());
        assertEquals("SHA-256", image.digestAlgorithm());
        assertEquals("4dd49c9172767a16a8ebb3c61fb993e4c2e8deef082b64b38878b74b9638f704", image.hash());
        assertTrue(image.uri().getPath().endsWith("_amd64.deb"));
        assertTrue(DebDownloader.canFetch(image.uri()));
        DebDownload odd = new DebDownload(image.uri(), image.fileName(), 1, "BLAKE3", "00");
        assertThrows(KernelException.class, odd::digestAlgorithm);
    }
}
