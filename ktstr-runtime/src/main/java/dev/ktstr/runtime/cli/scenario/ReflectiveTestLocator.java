package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.annotations.KtstrTest;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/** Finds {@code Class#method} or {@code Class.method} (fully qualified class) on the context class path. */
public final class ReflectiveTestLocator implements TestLocator {

    @Override
    public Optional<Method> find(String name) {
        int hash = name.indexOf('#');
        int cut = hash >= 0 ? hash : name.lastIndexOf('.');
        if (cut <= 0 || cut == name.length() - 1) {
            return Optional.empty();
        }
        String className = name.substring(0, cut);
        String method = name.substring(cut + 1);
        Class<?> c;
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            c = Class.forName(className, false, cl != null ? cl : ReflectiveTestLocator.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        return Arrays.stream(c.getDeclaredMethods())
                .filter(m -> m.getName().equals(method) && m.isAnnotationPresent(KtstrTest.class)).findFirst();
    }
}
