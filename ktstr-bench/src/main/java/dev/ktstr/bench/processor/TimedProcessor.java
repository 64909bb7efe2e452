package dev.ktstr.bench.processor;

import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Wraps a processor and adds up the wall-clock time its {@code init} and {@code process} calls take. */
final class TimedProcessor implements Processor {

    private final Processor delegate;
    private long nanos;

    TimedProcessor(Processor delegate) {
        this.delegate = delegate;
    }

    long nanos() {
        return nanos;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
        long t = System.nanoTime();
        delegate.init(env);
        nanos += System.nanoTime() - t;
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        long t = System.nanoTime();
        try {
            return delegate.process(annotations, round);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element e, AnnotationMirror a, ExecutableElement m, String text) {
        return delegate.getCompletions(e, a, m, text);
    }
}
