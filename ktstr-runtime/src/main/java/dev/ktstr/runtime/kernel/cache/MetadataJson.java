package dev.ktstr.runtime.kernel.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ktstr.runtime.kernel.KernelMetadata;
import java.util.List;

/**
 * Reads and writes {@code metadata.json} of the kernel cache, and, in the same style (indented,
 * keys in a stable order, ISO-8601 instants), the scheduler cache's metadata and the
 * {@code --json} listings of both.
 */
public final class MetadataJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private MetadataJson() {}

    public static String write(KernelMetadata m) {
        return writeValue(m);
    }

    /** Any value (list rows) in the same style. */
    public static String writeValue(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses metadata; a syntax or type error is a {@link JsonProcessingException}. */
    public static KernelMetadata read(String json) throws JsonProcessingException {
        return readValue(json, KernelMetadata.class);
    }

    /** Parses a value of {@code type}; a syntax or type error is a {@link JsonProcessingException}. */
    public static <T> T readValue(String json, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json, type);
    }

    /** Parses a JSON array of values of {@code type}. */
    public static <T> List<T> readList(String json, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json, MAPPER.getTypeFactory().constructCollectionType(List.class, type));
    }
}
