package io.consenthub.system;

/**
 * A server the hub runs could not listen because its port is taken. Carries what the person who
 * started the hub needs to fix it: the address, and the property (and environment variable) that moves it.
 */
public class PortTakenException extends RuntimeException {

    private final String server;
    private final String address;
    private final String property;

    public PortTakenException(String server, String address, String property, Throwable cause) {
        super(server + " could not listen on " + address + ": the port is in use", cause);
        this.server = server;
        this.address = address;
        this.property = property;
    }

    public String server() {
        return server;
    }

    public String address() {
        return address;
    }

    public String property() {
        return property;
    }
}
