package dev.caravan.destination;

import java.io.IOException;

/** A destination failed; the message is one sentence that names the destination and says what to check. */
public class DestinationException extends IOException {
    public DestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
