package dev.ktstr.runtime.kernel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Where a cached kernel came from; stored in {@code metadata.json} under {@code "source"} with a
 * {@code "kind"} of {@code debian-apt}, {@code local-build} or {@code path}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = KernelSource.DebianApt.class, name = "debian-apt"),
    @JsonSubTypes.Type(value = KernelSource.LocalBuild.class, name = "local-build"),
    @JsonSubTypes.Type(value = KernelSource.PathImport.class, name = "path")
})
public sealed interface KernelSource {

    /** The kind name used in JSON and in {@code kernel list}. */
    String kindName();

    /**
     * A Debian kernel package fetched through apt.
     *
     * @param suite          the archive suite, e.g. {@code trixie-backports}
     * @param imagePackage   the package holding the image ({@code linux-binary-unsigned-…})
     * @param configPackage  the package holding the config ({@code linux-base-…})
     * @param packageVersion the Debian version of both, e.g. {@code 7.3.4-1~bpo13+1}
     * @param imageDebSha256 SHA-256 of the image .deb as published in the signed archive index
     */
    record DebianApt(String suite, String imagePackage, String configPackage, String packageVersion,
            String imageDebSha256) implements KernelSource {
        @Override
        public String kindName() {
            return "debian-apt";
        }
    }

    /**
     * A kernel built by {@code kernel build} from a source tree.
     *
     * @param sourceDir      the tree, absolute
     * @param sourceIdentity {@code git-<commit>} for a clean git tree, {@code tree-<crc32 of path>} otherwise
     * @param fragmentSha256 SHA-256 of the merged config fragment (ktstr's plus the user's)
     * @param configSha256   SHA-256 of the final {@code .config}
     */
    record LocalBuild(String sourceDir, String sourceIdentity, String fragmentSha256, String configSha256)
            implements KernelSource {
        @Override
        public String kindName() {
            return "local-build";
        }
    }

    /**
     * A kernel image named by path ({@code KTSTR_KERNEL=/path/bzImage}) and imported, or the host's
     * own {@code /boot} kernel (never cached).
     *
     * @param path the image file
     */
    record PathImport(String path) implements KernelSource {
        @Override
        public String kindName() {
            return "path";
        }
    }
}
