package io.consenthub.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

import java.io.IOException;

/**
 * Who may call what. The API and actuator are stateless and authenticated by API key per role;
 * everything else (pages, the dev mailbox) gets the browser security headers.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiKeys keys, ObjectMapper json, RequestLimits limits) throws Exception {
        String admin = ApiRole.ADMIN.name();
        String user = ApiRole.USER.name();
        String crm = ApiRole.CRM.name();
        String webform = ApiRole.WEBFORM.name();
        return http
                .securityMatcher("/api/**", "/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyFilter(keys), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new JsonBodyFilter(json), org.springframework.security.web.access.intercept.AuthorizationFilter.class)
                .addFilterAfter(new RequestBodyFilter(json, limits), JsonBodyFilter.class)
                .authorizeHttpRequests(a -> a
                        // Camel answers on an async dispatch of a request already authorised on its way in.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/openapi.json", "/api/openapi.yaml").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/api/ledger/**", "/api/contacts/*/unlock").hasRole(admin)
                        .requestMatchers("/api/contacts/*/erasure", "/api/contacts/*/stop-processing", "/api/contacts/*/export").hasRole(admin)
                        .requestMatchers(HttpMethod.DELETE, "/api/contacts/*").hasRole(admin)
                        // Any key may ask; only keys whose reveal list names the field are answered (FieldReveals).
                        .requestMatchers(HttpMethod.POST, "/api/contacts/*/fields/*/reveal").hasAnyRole(admin, user, crm, webform)
                        .requestMatchers(HttpMethod.POST, "/api/webforms/**").hasAnyRole(webform, admin)
                        .requestMatchers(HttpMethod.GET, "/api/contacts", "/api/contacts/**", "/api/reports/**", "/api/purposes")
                        .hasAnyRole(user, crm, admin)
                        .requestMatchers("/api/contacts", "/api/contacts/**", "/api/emails", "/api/campaigns", "/api/campaigns/**",
                                "/api/double-opt-in-requests", "/api/refusals").hasAnyRole(user, admin)
                        .requestMatchers(HttpMethod.POST, "/api/partners/*/shares").hasAnyRole(user, admin)
                        .requestMatchers(HttpMethod.GET, "/api/crm/**").hasAnyRole(crm, admin)
                        .requestMatchers(HttpMethod.POST, "/api/crm/*/contacts").hasAnyRole(crm, admin)
                        .anyRequest().hasRole(admin))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problem(response, json, 401,
                                "a valid API key is required: send it in the X-API-Key header"))
                        .accessDeniedHandler((request, response, ex) -> problem(response, json, 403,
                                "the API key '" + SecurityContextHolder.getContext().getAuthentication().getName()
                                        + "' does not have a role that may " + request.getMethod() + " " + request.getRequestURI())))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pageChain(HttpSecurity http) throws Exception {
        return http
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                // The unsubscribe token in the URL is the credential; RFC 8058 POSTs come without cookies.
                // The demo partner (embedded default only) is called by the hub itself, signed, without cookies.
                .csrf(csrf -> csrf.csrfTokenRepository(csrfCookie()).ignoringRequestMatchers("/u/**", "/dev/partner/**"))
                .headers(h -> h
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(r -> r.policy(org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .build();
    }

    /**
     * CSRF tokens in a SameSite=Strict, HttpOnly cookie (double submit) rather than a server session:
     * the pages keep no session state, so a page view costs no session and any node can take the POST.
     */
    private static CookieCsrfTokenRepository csrfCookie() {
        var repository = new CookieCsrfTokenRepository();
        repository.setCookieName("consent-hub-csrf");
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Strict").httpOnly(true).path("/"));
        return repository;
    }

    private static void problem(HttpServletResponse response, ObjectMapper json, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(),
                new ApiProblem(status, org.springframework.http.HttpStatus.valueOf(status).getReasonPhrase(), message));
    }
}
