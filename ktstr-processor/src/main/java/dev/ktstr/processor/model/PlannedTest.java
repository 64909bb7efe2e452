package dev.ktstr.processor.model;

import java.util.List;

/**
 * One generated {@code @Test} method: a variant, where it is generated, and what budget selection
 * needs to know about it.
 *
 * @param variant        the variant
 * @param generatedClass the binary name of the generated class holding the method
 * @param methodName     the generated method's name, unique in its class
 * @param costSecs       estimated wall-clock seconds ({@link CostModel})
 * @param features       the features it exercises ({@link Features})
 */
public record PlannedTest(VariantModel variant, String generatedClass, String methodName, double costSecs,
        List<String> features) {

    public PlannedTest {
        features = List.copyOf(features);
    }
}
