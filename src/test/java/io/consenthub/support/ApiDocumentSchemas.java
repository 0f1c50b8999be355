package io.consenthub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.OpenApi30;
import com.networknt.schema.keyword.NonValidationKeyword;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hand-maintained API document, read the way a client generator reads it, with its schemas
 * usable as a validator (the OpenAPI 3.0 dialect of JSON Schema, {@code nullable} included).
 */
public final class ApiDocumentSchemas {

    public static final String LOCATION = "openapi/consent-hub-api.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The OpenAPI 3.0 dialect; the document's components travel along with each schema, unvalidated. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            Dialect.builder(OpenApi30.getInstance()).keyword(new NonValidationKeyword("components")).build());

    private final JsonNode document;

    private ApiDocumentSchemas(JsonNode document) {
        this.document = document;
    }

    public static ApiDocumentSchemas load() {
        try (InputStream in = ApiDocumentSchemas.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is not on the classpath");
            }
            return new ApiDocumentSchemas(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    public static String text(String classpathLocation) {
        try (InputStream in = ApiDocumentSchemas.class.getClassLoader().getResourceAsStream(classpathLocation)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of {@code instance} against {@code schema}, whose {@code $ref}s point into this document. */
    public List<String> problems(JsonNode schema, JsonNode instance) {
        ObjectNode root = schema.deepCopy();
        if (schema.has("$ref")) {
            // a $ref replaces its siblings in OpenAPI 3.0: wrap it so the components can travel along
            root = YAML.createObjectNode();
            root.putArray("allOf").add(schema);
        }
        root.set("components", document.get("components"));
        return SCHEMAS.getSchema(root).validate(instance).stream().map(Error::toString).toList();
    }

    /** The operation for a method and a concrete path such as {@code /api/contacts/3f2b...}, if documented. */
    public Optional<Operation> operation(String method, String concretePath) {
        String path = concretePath.contains("?") ? concretePath.substring(0, concretePath.indexOf('?')) : concretePath;
        for (Iterator<Map.Entry<String, JsonNode>> it = document.get("paths").fields(); it.hasNext(); ) {
            var entry = it.next();
            String regex = Pattern.quote(entry.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            JsonNode operation = entry.getValue().get(method.toLowerCase(Locale.ROOT));
            if (operation != null && path.matches(regex)) {
                return Optional.of(new Operation(method.toUpperCase(Locale.ROOT), entry.getKey(), resolve(operation)));
            }
        }
        return Optional.empty();
    }

    /** Follows a local {@code $ref} (a response, parameter or schema), or answers the node itself. */
    public JsonNode resolve(JsonNode node) {
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            node = document.at(ref.substring(1));
        }
        return node;
    }

    /** One documented operation. */
    public record Operation(String method, String path, JsonNode node) {
    }

    /** The JSON schema of the answer an operation documents for a status, if it documents one. */
    public Optional<JsonNode> responseSchema(Operation operation, int status) {
        JsonNode response = resolve(operation.node().path("responses").get(String.valueOf(status)));
        if (response == null) {
            return Optional.empty();
        }
        return Optional.of(response.path("content").path("application/json").path("schema"));
    }
}
