package io.consenthub.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How large an API request body may be. Bodies are read into memory to be checked as UTF-8, so
 * without a limit one client could make the hub hold tens of megabytes per request. The bulk
 * endpoints (contact import, CRM push of up to 10 000 records) get their own, larger limit.
 */
@ConfigurationProperties("consent-hub.api.limits")
public record RequestLimits(DataSize maxBodySize, DataSize maxBulkBodySize) {

    public RequestLimits {
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        maxBulkBodySize = maxBulkBodySize == null ? DataSize.ofMegabytes(32) : maxBulkBodySize;
        if (maxBodySize.toBytes() <= 0 || maxBulkBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE / 2
                || maxBulkBodySize.toBytes() > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("consent-hub.api.limits.max-body-size and max-bulk-body-size must be between 1B and 1GB (got "
                    + maxBodySize + ", " + maxBulkBodySize + ")");
        }
    }
}
