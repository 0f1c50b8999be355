package io.consenthub.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.support.HubTest;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header sizes and query-parameter counts are bounded like bodies, and a request over a bound is
 * refused with the JSON problem that says which bound, on API routes, pages and actuator alike.
 */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:api-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class RequestLineLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String path, String header, String value) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/json").header("X-API-Key", TestKeys.USER);
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> answer) throws Exception {
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(answer.body()).contains("application/json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(answer.statusCode());
        return problem;
    }

    @Test
    void aHeaderOverTheLimitIsA431ProblemOnEveryPath() throws Exception {
        String huge = "a".repeat(20 * 1024);
        for (String path : List.of("/api/contacts", "/actuator/health", "/p/some-token")) {
            var answer = get(path, "User-Agent", huge);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(431);
            assertThat(problem(answer).get("message").asText()).contains("headers are larger than the hub accepts")
                    .contains("16 KB");
        }
        assertThat(get("/api/openapi.json", "User-Agent", "a".repeat(4 * 1024)).statusCode()).isEqualTo(200);

        var beyondTomcat = get("/api/contacts", "User-Agent", "a".repeat(70 * 1024));
        assertThat(beyondTomcat.statusCode()).as("Tomcat's outer guard").isBetween(400, 431);
        problem(beyondTomcat);
    }

    @Test
    void moreQueryParametersThanTheLimitIsA400ProblemOnEveryPath() throws Exception {
        String many = IntStream.range(0, 150).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        for (String path : List.of("/api/contacts?", "/actuator/health?", "/p/some-token?", "/t/o/some-token?")) {
            var answer = get(path + many, null, null);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(400);
            assertThat(problem(answer).get("message").asText()).contains("more than 100 parameters");
        }
        String few = IntStream.range(0, 5).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        assertThat(get("/api/openapi.json?" + few, null, null).statusCode()).isEqualTo(200);
    }
}
