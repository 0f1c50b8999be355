package io.consenthub.shared;

/** Something a caller named does not exist. Answered 404 with the message. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
