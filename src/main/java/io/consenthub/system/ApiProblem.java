package io.consenthub.system;

/** The JSON body of every API error: the status, its name, and a message a person understands. */
public record ApiProblem(int status, String error, String message) {
}
