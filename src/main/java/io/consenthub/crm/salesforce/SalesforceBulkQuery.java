package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.FailureText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a SOQL query through a Bulk API 2.0 query job, for the reads of a large object that REST
 * would take one call per 2,000 records for: create the job ({@code queryAll}), ask its state
 * until {@code JobComplete}, then read its results page by page ({@code maxRecords} records per
 * page, the next page by {@code Sforce-Locator}). Every call goes through {@link SalesforceClient},
 * so it is counted and held off like any other. Each page is handed on as soon as it is read, so no
 * more than one page's records are held at a time.
 *
 * <p>The records are shaped as the REST API answers them, so that the same mapping and the same
 * content hash apply: one field per selected column, null for an empty one, and datetimes written
 * as REST writes them ({@code +0000}; Bulk API 2.0 writes {@code Z}). A job that ends
 * {@code Failed} or {@code Aborted}, or does not complete within {@link #JOB_TIMEOUT}, is a
 * {@link BulkJobFailed}: the poll of that object fails alone.
 */
@Component
class SalesforceBulkQuery {

    private static final Logger log = LoggerFactory.getLogger(SalesforceBulkQuery.class);
    /** How long the hub waits for a job to complete before the object's read fails (the job runs on in Salesforce). */
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(30);
    /** The longest wait between two asks for a job's state, however long the job takes. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(30);
    private static final Pattern BULK_DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private final SalesforceClient client;
    private final ObjectMapper json;
    private final Clock clock;

    SalesforceBulkQuery(SalesforceClient client, ObjectMapper json, Clock clock) {
        this.client = client;
        this.json = json;
        this.clock = clock;
    }

    /** What a read cost: the job, its state asks and its result pages. */
    record Read(String jobId, int statusPolls, int pages, long records) {
    }

    /** Runs the query as a job and hands every page of its results, in order, to {@code page}. */
    Read read(String connectorId, CrmSettings.Salesforce org, String objectName, String soql, Consumer<List<ObjectNode>> page) {
        JsonNode job = client.createQueryJob(connectorId, org, soql);
        String jobId = job.path("id").asText(null);
        if (jobId == null) {
            throw new BulkJobFailed("Salesforce created no Bulk API 2.0 query job for " + objectName);
        }
        log.info("Salesforce {}: reading {} through Bulk API 2.0 query job {}", connectorId, objectName, jobId);
        int polls = awaitCompletion(connectorId, org, objectName, jobId, job);
        int pages = 0;
        long records = 0;
        String locator = null;
        do {
            SalesforceClient.BulkResults results = client.queryJobResults(connectorId, org, jobId, locator, org.bulkPageSize());
            pages++;
            List<ObjectNode> read = records(results.csv(), objectName);
            if (results.records() >= 0 && results.records() != read.size()) {
                throw new BulkJobFailed("Bulk API 2.0 query job " + jobId + " for " + objectName + ": a result page named "
                        + results.records() + " records but held " + read.size());
            }
            records += read.size();
            page.accept(read);
            locator = results.nextLocator();
        } while (locator != null);
        log.info("Salesforce {}: Bulk API 2.0 query job {} for {} read: {} records in {} pages", connectorId, jobId, objectName,
                records, pages);
        return new Read(jobId, polls, pages, records);
    }

    /** Asks the job's state, waiting longer each time, until it is complete; answers how often it asked. */
    private int awaitCompletion(String connectorId, CrmSettings.Salesforce org, String objectName, String jobId, JsonNode info) {
        String state = info.path("state").asText("");
        Instant giveUp = clock.instant().plus(JOB_TIMEOUT);
        Duration wait = org.bulkPollInterval();
        int polls = 0;
        while (!"JobComplete".equals(state)) {
            if ("Failed".equals(state) || "Aborted".equals(state)) {
                throw new BulkJobFailed("Bulk API 2.0 query job " + jobId + " for " + objectName + " ended " + state
                        + describeError(info));
            }
            if (!clock.instant().isBefore(giveUp)) {
                throw new BulkJobFailed("Bulk API 2.0 query job " + jobId + " for " + objectName + " did not complete within "
                        + JOB_TIMEOUT + " (last state " + state + ")");
            }
            pause(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_POLL_INTERVAL) > 0 ? MAX_POLL_INTERVAL : wait.multipliedBy(2);
            info = client.queryJob(connectorId, org, jobId);
            polls++;
            state = info.path("state").asText("");
        }
        return polls;
    }

    /** The job's errorMessage: Salesforce's words on the query (its fields, its limits), never record values. */
    private static String describeError(JsonNode info) {
        String message = info.path("errorMessage").asText("");
        if (message.isBlank()) {
            return "";
        }
        return ": " + (message.length() > 300 ? message.substring(0, 300) : message);
    }

    /** Waits between two asks for a job's state; the poll is a scheduled background job, so waiting is its work. */
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BulkJobFailed("interrupted while waiting for a Bulk API 2.0 query job");
        }
    }

    /** One page of CSV as records shaped like the REST API's: the header row names the fields. */
    private List<ObjectNode> records(Reader csv, String objectName) {
        try (csv) {
            var reader = new BulkCsv(csv);
            List<String> header = reader.next();
            var records = new ArrayList<ObjectNode>();
            if (header == null) {
                return records;
            }
            for (List<String> values = reader.next(); values != null; values = reader.next()) {
                if (values.size() != header.size()) {
                    throw new BulkJobFailed("a Bulk API 2.0 result row for " + objectName + " has " + values.size()
                            + " fields, its header " + header.size());
                }
                ObjectNode record = json.createObjectNode();
                record.putObject("attributes").put("type", objectName);
                for (int i = 0; i < header.size(); i++) {
                    String value = values.get(i);
                    if (value == null) {
                        record.putNull(header.get(i));
                    } else {
                        record.put(header.get(i), BULK_DATETIME.matcher(value).matches()
                                ? value.substring(0, value.length() - 1) + "+0000" : value);
                    }
                }
                records.add(record);
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Bulk API 2.0 query job that failed, was aborted or did not complete; names the job, never values. */
    static final class BulkJobFailed extends RuntimeException implements FailureText.ValueFree {

        BulkJobFailed(String message) {
            super(message);
        }
    }
}
