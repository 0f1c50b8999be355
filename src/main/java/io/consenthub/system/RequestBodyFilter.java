package io.consenthub.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an API request body once, before any route sees it: too large is 413, not UTF-8 is 400
 * (instead of a 500 from deep inside the HTTP engine), and a body sent to an endpoint that takes
 * none is 400 (an empty object {@code {}}, which many clients send by habit, counts as none), so a malformed request can never be half understood and, say, still send a mail.
 * The checked bytes are then handed on unchanged.
 */
class RequestBodyFilter extends OncePerRequestFilter {

    /** Endpoints that take a body; every other API request must come without one. */
    private static final List<Pattern> WITH_BODY = List.of(
            Pattern.compile("POST /api/contacts"),
            Pattern.compile("POST /api/contacts/import"),
            Pattern.compile("POST /api/contacts/[^/]+/(opt-in-actions|consents|unlock)"),
            Pattern.compile("POST /api/contacts/[^/]+/(erasure|stop-processing)"),
            Pattern.compile("PATCH /api/contacts/[^/]+"),
            Pattern.compile("POST /api/contacts/[^/]+/fields/[^/]+/reveal"),
            Pattern.compile("POST /api/keys/rotations"),
            Pattern.compile("POST /api/partners/[^/]+/shares"),
            Pattern.compile("POST /api/(emails|campaigns|double-opt-in-requests|webforms/submissions)"),
            Pattern.compile("POST /api/crm/[^/]+/contacts"));
    private static final List<Pattern> BULK = List.of(
            Pattern.compile("POST /api/contacts/import"),
            Pattern.compile("POST /api/crm/[^/]+/contacts"));

    private final ObjectMapper json;
    private final RequestLimits limits;

    RequestBodyFilter(ObjectMapper json, RequestLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!request.getRequestURI().startsWith("/api/")) {
            chain.doFilter(request, response);
            return;
        }
        String endpoint = request.getMethod() + " " + request.getRequestURI().replaceAll("/+$", "");
        boolean takesBody = WITH_BODY.stream().anyMatch(p -> p.matcher(endpoint).matches());
        long max = (BULK.stream().anyMatch(p -> p.matcher(endpoint).matches()) ? limits.maxBulkBodySize() : limits.maxBodySize()).toBytes();
        if (request.getContentLengthLong() > max) {
            problem(response, 413, "Content Too Large", tooLarge(max));
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), max);
        if (body == null) {
            problem(response, 413, "Content Too Large", tooLarge(max));
            return;
        }
        if (!takesBody && body.length > 0 && !new String(body, StandardCharsets.UTF_8).strip().equals("{}")) {
            problem(response, 400, "Bad Request", request.getMethod() + " " + request.getRequestURI()
                    + " takes no request body; send the request without one (or with {})");
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            problem(response, 400, "Bad Request", "the request body is not valid UTF-8; send JSON encoded as UTF-8");
            return;
        }
        chain.doFilter(new CheckedBody(request, body), response);
    }

    private static String tooLarge(long max) {
        return "the request body is larger than the limit of " + max + " bytes for this endpoint";
    }

    /** The whole body, or null when it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private void problem(HttpServletResponse response, int status, String error, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        // The unread rest of a refused body is not worth keeping the connection for.
        response.setHeader("Connection", "close");
        json.writeValue(response.getOutputStream(), new ApiProblem(status, error, message));
    }

    /** The request with its body replaced by the bytes already read and checked. */
    private static final class CheckedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CheckedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
