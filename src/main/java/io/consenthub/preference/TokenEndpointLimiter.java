package io.consenthub.preference;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** Per-IP rate limit on every endpoint that takes a link token: 429 with a page a person can read. */
@Configuration(proxyBeanMethods = false)
class TokenEndpointLimiter {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> tokenEndpointRateLimit(RateLimits limits, PreferenceSettings settings) {
        var filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!limits.allow("ip:" + request.getRemoteAddr(), settings.requestsPerMinutePerIp())) {
                    response.setStatus(429);
                    response.setHeader("Retry-After", "60");
                    response.setContentType("text/html;charset=UTF-8");
                    response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests</title>"
                            + "<link rel=\"stylesheet\" href=\"/hub.css\"></head><body><main><h1>Too many requests</h1>"
                            + "<p>Please wait a minute and try again.</p></main></body></html>");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(filter);
        registration.addUrlPatterns("/p/*", "/u/*", "/confirm/*", "/t/*");
        registration.setName("tokenEndpointRateLimit");
        return registration;
    }
}
