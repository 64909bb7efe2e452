package dev.ktstr.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest
    @CsvSource({
        "LLC, llc",
        "REJECT_PIN, reject-pin",
        "RejectPin, reject-pin",
        "NO_CTRL, no-ctrl",
        "HTTPServer, http-server",
        "HTTP_SERVER, http-server",
        "parseHTTPResponse, parse-http-response",
        "Llc, llc",
        "V2, v2",
        "useV2Api, use-v2-api",
        "A, a",
        "LLC__STEAL, llc-steal",
    })
    void kebabIsAcronymAware(String constant, String expected) {
        assertEquals(expected, Names.kebab(constant));
    }

    @ParameterizedTest
    @CsvSource({"tiny-1llc, tiny_1llc", "llc+steal, llc_steal", "1abc, _abc", "a$b, a_b", "ok, ok"})
    void javaIdentifiersReplaceWhatJavaForbids(String text, String expected) {
        assertEquals(expected, Names.javaIdentifier(text));
    }
}
