package dev.ktstr.runtime;

import org.opentest4j.TestAbortedException;

/**
 * The entry point every generated test method calls: boots the variant's VM, loads its scheduler,
 * runs the body, checks, records the result, and turns the outcome into a JUnit pass, failure or
 * skip.
 */
public final class KtstrRunner {

    private KtstrRunner() {}

    public static void run(Variant variant, TestBody body) throws Exception {
        throw new TestAbortedException("no VM engine yet: " + variant.id());
    }
}
