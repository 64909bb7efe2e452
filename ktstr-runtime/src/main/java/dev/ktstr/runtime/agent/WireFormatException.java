package dev.ktstr.runtime.agent;

/** A message did not decode: truncated, trailing bytes, or a value out of range. */
public class WireFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
