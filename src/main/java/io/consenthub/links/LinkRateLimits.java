package io.consenthub.links;

import io.consenthub.contact.ContactId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Rate limits of every endpoint that takes a link token, by {@link LinkRateRules}: per client IP in
 * a filter in front of {@code /p}, {@code /u}, {@code /confirm} and {@code /t}, and per contact in
 * the pages once the token named the contact. Counted cluster-wide ({@link RateLimits}): a balancer
 * spreading a client over the nodes gives it no larger budget.
 */
@Component
public class LinkRateLimits {

    /** The view pages answer with when a budget is used up. */
    public static final String TOO_MANY_VIEW = "too-many-requests";

    private final RateLimits counters;
    private final LinkRateSettings settings;

    LinkRateLimits(RateLimits counters, LinkRateSettings settings) {
        this.counters = counters;
        this.settings = settings;
    }

    /** Whether this request on a valid link of this contact is within the contact's budget. */
    public boolean allow(HttpServletRequest request, ContactId contact) {
        return within(LinkRateRules.forContact(LinkRateRules.useOf(request.getMethod()), contact, request.getRemoteAddr(), settings));
    }

    /** Whether one more change set (and its confirmation mail) may be proposed for this contact. */
    public boolean allowProposal(HttpServletRequest request, ContactId contact) {
        return within(LinkRateRules.forContact(LinkRateRules.Use.PROPOSE, contact, request.getRemoteAddr(), settings));
    }

    /** Sets the 429 status and Retry-After and returns the readable page's view. */
    public static String tooMany(HttpServletResponse response) {
        response.setStatus(429);
        response.setHeader("Retry-After", "60");
        return TOO_MANY_VIEW;
    }

    boolean allowClient(HttpServletRequest request) {
        return within(LinkRateRules.forClient(LinkRateRules.useOf(request.getMethod()), request.getRemoteAddr(), settings));
    }

    private boolean within(List<LinkRateRules.Budget> budgets) {
        boolean allowed = true;
        for (LinkRateRules.Budget budget : budgets) {
            allowed &= counters.allow(budget.key(), budget.limit(), budget.window());
        }
        return allowed;
    }

    /** The per-IP filter: 429 with a page a person can read, before any token is looked up. */
    @Configuration(proxyBeanMethods = false)
    static class Filter {

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> tokenEndpointRateLimit(LinkRateLimits limits) {
            var filter = new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws ServletException, IOException {
                    if (!limits.allowClient(request)) {
                        tooMany(response);
                        response.setContentType("text/html;charset=UTF-8");
                        response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests</title>"
                                + "<link rel=\"stylesheet\" href=\"/hub.css\"></head><body><main><h1>Too many requests</h1>"
                                + "<p>Please wait a minute and try again.</p>"
                                + "<p lang=\"sv\">För många förfrågningar. Vänta en minut och försök igen.</p></main></body></html>");
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
}
