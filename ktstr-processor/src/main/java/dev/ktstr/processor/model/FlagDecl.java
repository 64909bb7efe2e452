package dev.ktstr.processor.model;

import java.util.List;

/**
 * One flag of a scheduler, as declared by an enum constant.
 *
 * @param constant the enum constant ({@code REJECT_PIN})
 * @param name     its kebab-case name ({@code reject-pin}), used in variant ids, tags and results
 * @param args     scheduler arguments the flag adds
 * @param requires names (kebab) of the flags that must be active whenever this one is
 */
public record FlagDecl(String constant, String name, List<String> args, List<String> requires) {

    public FlagDecl {
        args = List.copyOf(args);
        requires = List.copyOf(requires);
    }
}
