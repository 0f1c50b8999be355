package io.consenthub.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the API document. It is maintained by hand in {@value #LOCATION} rather than generated
 * from the REST DSL, because the REST DSL with {@code bindingMode: off} knows neither the bodies'
 * schemas nor the real status codes, and a client generator needs both; {@code ApiDocumentTest}
 * keeps it and {@code routes/api/} in step. The one fact it takes from config is the server URL:
 * the hub's public address ({@code consent-hub.email.base-url}), the one every mailed link starts
 * with, so a generated client calls the address the hub is really reached at.
 */
@RestController
class ApiDocument {

    static final String LOCATION = "openapi/consent-hub-api.yaml";

    private final String json;
    private final String yaml;

    ApiDocument(@Value("${consent-hub.email.base-url}") String baseUrl) {
        var yamlMapper = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        ObjectNode document = read(yamlMapper);
        var server = (ObjectNode) document.withArray("servers").get(0);
        server.put("url", stripTrailingSlash(baseUrl));
        server.put("description", "this hub (consent-hub.email.base-url)");
        try {
            this.json = new ObjectMapper().writeValueAsString(document);
            this.yaml = yamlMapper.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(value = "/api/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> json() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/json;charset=UTF-8")).body(json);
    }

    @GetMapping(value = "/api/openapi.yaml", produces = "application/yaml")
    ResponseEntity<String> yaml() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml;charset=UTF-8")).body(yaml);
    }

    private static ObjectNode read(ObjectMapper yamlMapper) {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            return (ObjectNode) yamlMapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the API document " + LOCATION + " could not be read", e);
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
