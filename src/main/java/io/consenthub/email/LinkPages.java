package io.consenthub.email;

import jakarta.servlet.http.HttpServletResponse;

/** The one answer for every link that is unknown, expired, used or revoked: nothing tells them apart. */
final class LinkPages {

    private LinkPages() {
    }

    static String invalid(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        return "link-invalid";
    }
}
