package dev.foreshadow.connectors.resources;

/** A call to a pool's API failed; the message says which call and why, without secrets. */
public final class ResourceException extends Exception {
    public ResourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public ResourceException(String message) {
        super(message);
    }
}
