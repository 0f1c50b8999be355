package io.consenthub.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;

/**
 * Bounds the headers and the query parameters of every request before anything else reads them:
 * headers over {@code consent-hub.api.limits.max-header-size} are 431, more query parameters than
 * {@code max-query-parameters} are 400, each with the JSON problem naming the limit (a browser on a
 * page gets the HTML error page). Tomcat's own limits (64KB of headers, 1 000 parameters) stay as
 * the outer guard; their answers are JSON problems too ({@link JsonErrorReportValve}).
 */
class RequestLineFilter extends OncePerRequestFilter {

    private final ObjectMapper json;
    private final RequestLimits limits;

    RequestLineFilter(ObjectMapper json, RequestLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long headerBytes = 0;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headerBytes += name.length() + value.length() + 4;
            }
        }
        long maxHeaders = limits.maxHeaderSize().toBytes();
        if (headerBytes > maxHeaders) {
            refuse(request, response, 431, "Request Header Fields Too Large", "the request headers are larger than the hub accepts ("
                    + (maxHeaders / 1024) + " KB in all, consent-hub.api.limits.max-header-size)");
            return;
        }
        int parameters = countQueryParameters(request.getQueryString());
        if (parameters > limits.maxQueryParameters()) {
            refuse(request, response, 400, "Bad Request", "the request has more than " + limits.maxQueryParameters()
                    + " parameters in its query string (consent-hub.api.limits.max-query-parameters)");
            return;
        }
        chain.doFilter(request, response);
    }

    static int countQueryParameters(String query) {
        if (query == null || query.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (String part : query.split("&")) {
            if (!part.isEmpty()) {
                count++;
            }
        }
        return count;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error, String message)
            throws IOException {
        String accept = request.getHeader("Accept");
        String path = request.getRequestURI();
        response.setHeader("Connection", "close");
        if (accept != null && accept.contains("text/html") && !path.startsWith("/api/") && !path.startsWith("/actuator/")) {
            response.sendError(status);
            return;
        }
        response.setStatus(status);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), new ApiProblem(status, error, message));
    }

    /** Registered ahead of Spring Security, so even a refused API key is not read from an oversized request. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<RequestLineFilter> requestLineFilter(ObjectMapper json, RequestLimits limits) {
            var registration = new FilterRegistrationBean<>(new RequestLineFilter(json, limits));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.addUrlPatterns("/*");
            return registration;
        }
    }
}
