package io.consenthub.system;

/** Who called the API: the key's name and role, and where the request came from. */
public record ApiCaller(String name, ApiRole role, String ip, String userAgent) {

    /** Request headers by which the security filter hands the caller to Camel routes. */
    public static final String NAME_HEADER = "ConsentHub-Caller";
    public static final String ROLE_HEADER = "ConsentHub-Role";
    public static final String IP_HEADER = "ConsentHub-Client-Ip";
}
