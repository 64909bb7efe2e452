package dev.ktstr.processor.generate;

import com.palantir.javapoet.ClassName;

/**
 * The runtime and JUnit types generated code refers to, by name: the processor links neither the
 * runtime nor JUnit, so these names are the whole contract with them.
 */
final class RuntimeNames {

    static final ClassName KTSTR_RUNNER = ClassName.get("dev.ktstr.runtime", "KtstrRunner");
    static final ClassName VARIANT = ClassName.get("dev.ktstr.runtime", "Variant");
    static final ClassName TEST_BODY = ClassName.get("dev.ktstr.runtime", "TestBody");
    static final ClassName ENVIRONMENT_CONDITION = ClassName.get("dev.ktstr.runtime.junit", "KtstrEnvironmentCondition");

    static final ClassName TEST = ClassName.get("org.junit.jupiter.api", "Test");
    static final ClassName DISPLAY_NAME = ClassName.get("org.junit.jupiter.api", "DisplayName");
    static final ClassName TAG = ClassName.get("org.junit.jupiter.api", "Tag");
    static final ClassName EXTEND_WITH = ClassName.get("org.junit.jupiter.api.extension", "ExtendWith");

    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private RuntimeNames() {}
}
