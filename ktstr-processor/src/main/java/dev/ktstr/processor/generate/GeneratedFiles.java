package dev.ktstr.processor.generate;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.ktstr.processor.model.ClassPlan;
import dev.ktstr.processor.model.PlannedTest;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes everything generated for one test class through the {@link Filer}, stamped the same way:
 * the originating elements (the test class and its schedulers compiled alongside) on every file, so
 * incremental builds know what to regenerate, and the generated marker on every class.
 */
public final class GeneratedFiles {

    private final Filer filer;
    private final boolean generatedMarker;

    /**
     * @param generatedMarker whether {@code javax.annotation.processing.Generated} is available to the
     *                        code being compiled
     */
    public GeneratedFiles(Filer filer, boolean generatedMarker) {
        this.filer = filer;
        this.generatedMarker = generatedMarker;
    }

    /** Writes the VM class, the host class (each only when it has methods) and the manifest. */
    public void write(ClassPlan plan, List<Element> originating) throws IOException {
        writeClass(plan, plan.vm(), ClassPlan.VM_SUFFIX, originating);
        writeClass(plan, plan.host(), ClassPlan.HOST_SUFFIX, originating);
        FileObject manifest = filer.createResource(StandardLocation.CLASS_OUTPUT, "", ManifestRenderer.resourceName(plan),
                originating.toArray(Element[]::new));
        try (Writer w = new OutputStreamWriter(manifest.openOutputStream(), StandardCharsets.UTF_8)) {
            w.write(ManifestRenderer.render(plan));
        }
    }

    private void writeClass(ClassPlan plan, List<PlannedTest> methods, String suffix,
            List<Element> originating) throws IOException {
        if (methods.isEmpty()) {
            return;
        }
        TypeSpec.Builder type = TestClassRenderer.render(plan, methods, plan.testClass().companionSimpleName(suffix),
                generatedMarker).toBuilder();
        originating.forEach(type::addOriginatingElement);
        JavaFile.builder(plan.testClass().packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .writeTo(filer);
    }
}
