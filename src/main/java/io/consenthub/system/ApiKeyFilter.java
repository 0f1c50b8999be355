package io.consenthub.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates API calls by key ({@code X-API-Key} or {@code Authorization: Bearer}) and hands the
 * caller to the routes as request headers. Any such header the client sent itself is removed, so
 * a caller cannot claim another identity.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;

    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getParameterMap().keySet().stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("consenthub"))) {
            response.setStatus(400);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"parameter names starting with ConsentHub are reserved\"}");
            return;
        }
        var holder = keys.match(presentedKey(request));
        Map<String, String> caller = holder.map(h -> {
            var auth = new UsernamePasswordAuthenticationToken(h.name(), null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + h.role().name())));
            SecurityContextHolder.getContext().setAuthentication(auth);
            return Map.of(ApiCaller.NAME_HEADER.toLowerCase(Locale.ROOT), h.name(),
                    ApiCaller.ROLE_HEADER.toLowerCase(Locale.ROOT), h.role().name(),
                    ApiCaller.IP_HEADER.toLowerCase(Locale.ROOT), request.getRemoteAddr());
        }).orElse(Map.of(ApiCaller.IP_HEADER.toLowerCase(Locale.ROOT), request.getRemoteAddr()));
        chain.doFilter(new CallerHeaders(request, caller), response);
    }

    private static String presentedKey(HttpServletRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key != null) {
            return key;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return null;
    }

    /** The request as the routes see it: caller headers set by the hub, spoofed ones removed. */
    private static final class CallerHeaders extends HttpServletRequestWrapper {

        private static final String PREFIX = "consenthub-";
        private final Map<String, String> caller;

        CallerHeaders(HttpServletRequest request, Map<String, String> caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public String getHeader(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(PREFIX)) {
                return caller.get(lower);
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(PREFIX)) {
                String value = caller.get(lower);
                return Collections.enumeration(value == null ? List.of() : List.of(value));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !n.toLowerCase(Locale.ROOT).startsWith(PREFIX))
                    .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
            names.addAll(caller.keySet());
            return Collections.enumeration(names);
        }
    }
}
