package io.consenthub.system;

import io.consenthub.shared.InvalidInputException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: unknown fields, duplicate keys, trailing garbage and wrong types
 * are refused with a message that names the field, instead of being ignored or half-applied.
 */
@Component
public class StrictJson {

    private final ObjectMapper mapper;

    StrictJson(ObjectMapper springMapper) {
        this.mapper = springMapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        // Evidence must say what the caller sent: no "true" or 123 for true, no 42 for "42", no 1 for an enum.
        this.mapper.configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        refuse(LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        refuse(LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Boolean);
        refuse(LogicalType.Float, CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Boolean);
        refuse(LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString);
        refuse(LogicalType.DateTime, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString);
    }

    private void refuse(LogicalType target, CoercionInputShape... shapes) {
        var config = mapper.coercionConfigFor(target);
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    public <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("a JSON request body is required");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new InvalidInputException("a JSON object is required, not null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(explain(e));
        }
    }

    static String explain(JsonProcessingException e) {
        if (e instanceof JsonParseException parse) {
            var at = parse.getLocation();
            return "request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + "): "
                    + parse.getOriginalMessage().split("\n")[0];
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + path(unknown) + "'" + (known.isEmpty() ? "" : "; known fields here: " + known);
        }
        if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() instanceof InvalidInputException invalid) {
            String where = path(instantiation);
            return where.isEmpty() ? invalid.getMessage() : where + ": " + invalid.getMessage();
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null && format.getTargetType().isEnum()) {
            return "field '" + path(format) + "' has value '" + format.getValue() + "'; expected one of "
                    + Arrays.toString(format.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String type = mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
            String where = path(mismatch);
            return where.isEmpty() ? "request body must be " + type : "field '" + where + "' must be " + type;
        }
        if (e instanceof JsonMappingException mapping) {
            return "request body could not be read at '" + path(mapping) + "': " + mapping.getOriginalMessage().split("\n")[0];
        }
        return "request body could not be read: " + e.getOriginalMessage();
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String path(JsonMappingException e) {
        var text = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!text.isEmpty()) {
                    text.append('.');
                }
                text.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                text.append('[').append(ref.getIndex()).append(']');
            }
        }
        return text.toString();
    }
}
