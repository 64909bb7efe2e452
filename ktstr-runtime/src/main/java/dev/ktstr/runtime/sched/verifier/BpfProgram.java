package dev.ktstr.runtime.sched.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * One BPF program loaded in the guest kernel, as {@code ktstr_progs} prints it (one JSON object per
 * line, from {@code BPF_OBJ_GET_INFO_BY_FD}): its id, type, full function name (from its BTF) and
 * {@code verified_insns}, the number of instructions the verifier processed to accept it.
 *
 * @param id            the kernel's program id
 * @param type          {@code struct_ops}, {@code tracing}, {@code syscall}, …
 * @param name          the function name
 * @param verifiedInsns {@code bpf_prog_info.verified_insns}
 * @param xlatedBytes   size of the translated program
 */
public record BpfProgram(long id, String type, String name, long verifiedInsns, long xlatedBytes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses {@code ktstr_progs} output; lines that are not JSON objects are errors (the tool prints
     * nothing else on stdout).
     *
     * @throws IllegalArgumentException naming the bad line
     */
    public static List<BpfProgram> parse(String output) {
        List<BpfProgram> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (!n.isObject() || !n.hasNonNull("id") || !n.hasNonNull("verified_insns")) {
                    throw new IllegalArgumentException("not a ktstr_progs record: " + line);
                }
                out.add(new BpfProgram(n.get("id").asLong(), n.path("type").asText(), n.path("name").asText(),
                        n.get("verified_insns").asLong(), n.path("xlated_len").asLong()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not a ktstr_progs record: " + line, e);
            }
        }
        return out;
    }
}
