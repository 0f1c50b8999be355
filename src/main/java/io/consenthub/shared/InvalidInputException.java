package io.consenthub.shared;

/**
 * Input from outside (API caller, CRM row, form) that the hub refuses. Its message is written
 * for the person who sent the input and is safe to show them; it never carries internals.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
