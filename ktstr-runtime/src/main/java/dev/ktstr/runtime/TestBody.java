package dev.ktstr.runtime;

/** A {@code @KtstrTest} method body, as the generated test passes it to {@link KtstrRunner}. */
@FunctionalInterface
public interface TestBody {
    void run(Ctx ctx) throws Exception;
}
