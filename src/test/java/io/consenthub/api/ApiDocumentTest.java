package io.consenthub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.consenthub.support.ApiDocumentSchemas;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-maintained API document against the OpenAPI 3 specification, its own schemas and the
 * REST DSL in {@code routes/api/}: what a client generator reads must be what the hub serves.
 */
class ApiDocumentTest {

    private static final List<String> VERBS = List.of("get", "post", "put", "patch", "delete");
    /** Operations anyone may call; every other one needs an API key. */
    private static final Set<String> PUBLIC = Set.of("GET /api/openapi.json");
    /** Paths served outside the REST DSL (by {@code system.ApiDocument}). */
    private static final Set<String> OUTSIDE_REST_DSL = Set.of("GET /api/openapi.json");

    private final ApiDocumentSchemas api = ApiDocumentSchemas.load();
    private final JsonNode doc = api.document();

    @Test
    void theDocumentIsValidOpenApi3WithoutAWarning() {
        var options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIV3Parser().readContents(ApiDocumentSchemas.text(ApiDocumentSchemas.LOCATION), null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.0.");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes().get("apiKey").getName()).isEqualTo("X-API-Key");
    }

    @Test
    void everyRestDslOperationIsDocumentedExactlyOnceAndNothingElseIs() throws IOException {
        Map<String, String> rest = restDslOperations();
        Map<String, String> documented = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        forEachOperation((key, operation) -> {
            if (OUTSIDE_REST_DSL.contains(key)) {
                return;
            }
            String restId = operation.path("x-rest-id").asText(null);
            if (documented.put(key, restId) != null) {
                duplicates.add(key);
            }
        });

        assertThat(duplicates).isEmpty();
        assertThat(documented)
                .as("operations in the document (method path -> x-rest-id) against routes/api/*.camel.yaml")
                .isEqualTo(rest);
    }

    @Test
    void everyOperationNeedsTheApiKeyUnlessItIsPublic() {
        assertThat(doc.path("security").get(0).has("apiKey")).isTrue();
        List<String> wrong = new ArrayList<>();
        forEachOperation((key, operation) -> {
            boolean overridesToPublic = operation.has("security") && operation.get("security").isEmpty();
            boolean secured = !overridesToPublic;
            if (secured == PUBLIC.contains(key)) {
                wrong.add(key + (secured ? " needs no key but is secured" : " is public but not listed as public"));
            }
            if (secured && (!operation.path("responses").has("401") || !operation.path("responses").has("403"))) {
                wrong.add(key + " is secured but documents no 401 and 403");
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyErrorIsTheJsonProblemAndBodyTakingOperationsDocumentTheirRefusals() {
        List<String> wrong = new ArrayList<>();
        forEachOperation((key, operation) -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = operation.path("responses").fields(); it.hasNext(); ) {
                var response = it.next();
                int status = Integer.parseInt(response.getKey());
                JsonNode schema = api.resolve(response.getValue()).path("content").path("application/json").path("schema");
                if (status >= 400 && !"#/components/schemas/Problem".equals(schema.path("$ref").asText())) {
                    wrong.add(key + " " + status + " is not the Problem shape");
                }
                if (status < 400 && schema.isMissingNode()) {
                    wrong.add(key + " " + status + " has no schema");
                }
            }
            if (operation.has("requestBody")) {
                for (String status : List.of("400", "413", "415")) {
                    if (!operation.path("responses").has(status)) {
                        wrong.add(key + " takes a body but documents no " + status);
                    }
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPathParameterIsDeclaredWithATypeAndEveryParameterHasOne() {
        List<String> wrong = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (String verb : VERBS) {
                JsonNode operation = path.getValue().get(verb);
                if (operation == null) {
                    continue;
                }
                Set<String> declared = new TreeSet<>();
                Stream.concat(stream(path.getValue().path("parameters")), stream(operation.path("parameters")))
                        .map(api::resolve)
                        .forEach(parameter -> {
                            JsonNode schema = api.resolve(parameter.path("schema"));
                            if (!schema.has("type")) {
                                wrong.add(verb + " " + path.getKey() + " parameter " + parameter.path("name").asText() + " has no type");
                            }
                            if ("path".equals(parameter.path("in").asText())) {
                                declared.add(parameter.path("name").asText());
                            }
                        });
                Set<String> inTemplate = new TreeSet<>();
                Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                while (m.find()) {
                    inTemplate.add(m.group(1));
                }
                if (!declared.equals(inTemplate)) {
                    wrong.add(verb + " " + path.getKey() + " declares path parameters " + declared);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyDocumentedExampleIsValidAgainstItsSchema() {
        List<String> wrong = new ArrayList<>();
        int[] checked = {0};
        walk(doc, "", (where, node) -> {
            if (node.has("schema") && (node.has("example") || node.has("examples"))) {
                List<JsonNode> examples = new ArrayList<>();
                if (node.has("example")) {
                    examples.add(node.get("example"));
                }
                node.path("examples").forEach(e -> examples.add(api.resolve(e).get("value")));
                for (JsonNode example : examples) {
                    checked[0]++;
                    api.problems(node.get("schema"), example).forEach(p -> wrong.add(where + ": " + p));
                }
            }
        });
        assertThat(wrong).isEmpty();
        assertThat(checked[0]).as("examples checked").isGreaterThan(30);
    }

    @Test
    void theSchemasRefuseWhatTheHubRefuses() {
        JsonNode answer = doc.at("/components/schemas/ConsentAnswer");
        ObjectMapper json = new ObjectMapper();
        assertThat(api.problems(answer, json.valueToTree(Map.of("purpose", "newsletter", "granted", true)))).isEmpty();
        assertThat(api.problems(answer, json.valueToTree(Map.of("purpose", "newsletter", "granted", "true")))).isNotEmpty();
        assertThat(api.problems(answer, json.valueToTree(Map.of("purpose", "newsletter", "granted", true, "extra", 1))))
                .isNotEmpty();
        JsonNode form = doc.at("/components/schemas/WebFormSubmission");
        assertThat(api.problems(form, json.valueToTree(Map.of("formId", "signup", "email", "a@example.org",
                "userAgent", "x".repeat(513))))).isNotEmpty();
    }

    private void forEachOperation(BiConsumer<String, JsonNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (String verb : VERBS) {
                JsonNode operation = path.getValue().get(verb);
                if (operation != null) {
                    action.accept(verb.toUpperCase() + " " + path.getKey(), operation);
                }
            }
        }
    }

    /** "METHOD /api/path" -> rest verb id, from every REST DSL block in routes/api. */
    static Map<String, String> restDslOperations() throws IOException {
        var yaml = new ObjectMapper(new YAMLFactory());
        Map<String, String> operations = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes/api"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                for (JsonNode item : yaml.readTree(file.toFile())) {
                    JsonNode rest = item.get("rest");
                    if (rest == null) {
                        continue;
                    }
                    String base = rest.path("path").asText("");
                    for (String verb : VERBS) {
                        for (JsonNode operation : rest.path(verb)) {
                            String key = verb.toUpperCase() + " " + base + operation.path("path").asText("");
                            if (operations.put(key, operation.path("id").asText(null)) != null) {
                                duplicates.add(key);
                            }
                        }
                    }
                }
            }
        }
        assertThat(duplicates).as("REST DSL operations declared twice").isEmpty();
        assertThat(operations).as("REST DSL operations in routes/api").isNotEmpty();
        return operations;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    private static void walk(JsonNode node, String where, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(where, node);
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("example") && !e.getKey().equals("examples")) {
                    walk(e.getValue(), where + "/" + e.getKey(), visit);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, visit);
            }
        }
    }
}
