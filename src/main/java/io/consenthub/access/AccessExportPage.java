package io.consenthub.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.contact.ContactId;
import io.consenthub.links.LinkPages;
import io.consenthub.links.LinkRateLimits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Where the link of an access-export mail leads ({@code /p/export/<token>}). Opening it changes
 * nothing — mail scanners open links — and shows a download button; the button's POST uses the
 * link up and answers the JSON document as a file. An unknown, expired or used link looks like
 * every other invalid link.
 */
@Controller
class AccessExportPage {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final AccessExports exports;
    private final LinkRateLimits limits;
    private final ObjectMapper json;

    AccessExportPage(AccessExports exports, LinkRateLimits limits, ObjectMapper json) {
        this.exports = exports;
        this.limits = limits;
        this.json = json;
    }

    @GetMapping("/p/export/{token}")
    String offer(@PathVariable String token, Model model, HttpServletRequest request, HttpServletResponse response) {
        Optional<ContactId> contact = exports.downloadable(token);
        if (contact.isEmpty()) {
            return LinkPages.invalid(response);
        }
        if (!limits.allow(request, contact.get())) {
            return LinkRateLimits.tooMany(response);
        }
        model.addAttribute("action", "/p/export/" + token);
        model.addAttribute("languageHref", "/p/export/" + token);
        return "access-export";
    }

    /** Answers the document itself (and returns no view), or the invalid-link page. */
    @PostMapping("/p/export/{token}")
    String download(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ContactId> contact = exports.downloadable(token);
        if (contact.isPresent() && !limits.allow(request, contact.get())) {
            return LinkRateLimits.tooMany(response);
        }
        Optional<AccessExports.Export> export = exports.download(token, request.getRemoteAddr());
        if (export.isEmpty()) {
            return LinkPages.invalid(response);
        }
        byte[] body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(export.get().document());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Disposition", "attachment; filename=\"my-data-" + DAY.format((java.time.Instant) export.get().document().get("exportedAt")) + ".json\"");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return null;
    }
}
