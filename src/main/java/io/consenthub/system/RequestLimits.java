package io.consenthub.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How large an API request body may be. Bodies are read into memory to be checked as UTF-8, so
 * without a limit one client could make the hub hold tens of megabytes per request. The bulk
 * endpoints (contact import, CRM push of up to 10 000 records) get their own, larger limit.
 * Every request (API, pages, tracking, actuator) is also bounded in the total size of its headers
 * and in the number of its query parameters: no endpoint of the hub needs more than a handful, and
 * each one costs parsing and memory before any route could refuse it.
 */
@ConfigurationProperties("consent-hub.api.limits")
public record RequestLimits(DataSize maxBodySize, DataSize maxBulkBodySize, DataSize maxHeaderSize, Integer maxQueryParameters) {

    public RequestLimits {
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        maxBulkBodySize = maxBulkBodySize == null ? DataSize.ofMegabytes(32) : maxBulkBodySize;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(16) : maxHeaderSize;
        maxQueryParameters = maxQueryParameters == null ? 100 : maxQueryParameters;
        if (maxHeaderSize.toBytes() < 1024 || maxHeaderSize.toBytes() > 60 * 1024 || maxQueryParameters < 1 || maxQueryParameters > 1000) {
            throw new IllegalArgumentException("consent-hub.api.limits.max-header-size must be between 1KB and 60KB (below Tomcat's"
                    + " server.max-http-request-header-size of 64KB) and max-query-parameters between 1 and 1000 (got "
                    + maxHeaderSize + ", " + maxQueryParameters + ")");
        }
        if (maxBodySize.toBytes() <= 0 || maxBulkBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE / 2
                || maxBulkBodySize.toBytes() > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("consent-hub.api.limits.max-body-size and max-bulk-body-size must be between 1B and 1GB (got "
                    + maxBodySize + ", " + maxBulkBodySize + ")");
        }
    }
}
