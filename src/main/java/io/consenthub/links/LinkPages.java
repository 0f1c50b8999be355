package io.consenthub.links;

import jakarta.servlet.http.HttpServletResponse;

/** The one answer for every link that is unknown, expired, used or revoked: nothing tells them apart. */
public final class LinkPages {

    private LinkPages() {
    }

    public static String invalid(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        return "link-invalid";
    }
}
