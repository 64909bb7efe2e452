package dev.ktstr.runtime.kernel.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void debianKeysFollowTheDebNamingConvention() {
        assertEquals("debian-7.3.4+deb13-cloud-amd64_7.3.4-1~bpo13+1",
                CacheKeys.debian("7.3.4+deb13-cloud-amd64", "7.3.4-1~bpo13+1"));
        assertEquals("debian-7.3.4+deb13-cloud-amd64_1_7.3.4-1", CacheKeys.debian("7.3.4+deb13-cloud-amd64",
                "1:7.3.4-1"), "an epoch colon is not allowed in a file name");
    }

    @Test
    void localKeysIncludeSourceIdentityAndConfigHash() {
        String a = CacheKeys.localBuild("7.3.4", "git-0123456789ab", "x86_64", SHA);
        assertEquals("local-7.3.4-git-0123456789ab-x86_64-kc0123456789ab", a);
        assertNotEquals(a, CacheKeys.localBuild("7.3.4", "git-0123456789ab", "x86_64", "f" + SHA.substring(1)));
        assertNotEquals(a, CacheKeys.localBuild("7.3.4", "tree-deadbeef", "x86_64", SHA));
    }

    @Test
    void pathKeysUseTheImageDigest() {
        assertEquals("path-7.3.4+deb13-cloud-amd64-0123456789ab", CacheKeys.pathImport("7.3.4+deb13-cloud-amd64", SHA));
        assertEquals("path-unknown-0123456789ab", CacheKeys.pathImport("", SHA));
    }

    @Test
    void validationRejectsUnsafeNames() {
        assertTrue(CacheKeys.isValid("debian-7.3.4+deb13-cloud-amd64_7.3.4-1~bpo13+1"));
        for (String bad : new String[] {"", ".hidden", "../x", "a/b", "a b", "-flag", "x".repeat(201), null}) {
            assertFalse(CacheKeys.isValid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> CacheKeys.require("a/b"));
        assertEquals("cbf43926", CacheKeys.crc32("123456789"));
    }
}
