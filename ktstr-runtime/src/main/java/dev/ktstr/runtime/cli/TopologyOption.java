package dev.ktstr.runtime.cli;

import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --topology}: a preset name ({@code smt-2llc}), {@code 2n4l2c2t} or {@code 2,4,2,2}. */
public final class TopologyOption implements ITypeConverter<Topology> {

    @Override
    public Topology convert(String value) {
        var preset = Presets.byName(value.trim());
        if (preset.isPresent()) {
            return preset.get().topology();
        }
        try {
            return Topology.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage() + "; or a preset name: "
                    + String.join(", ", Presets.X86_64.stream().map(p -> p.name()).toList()));
        }
    }
}
