package io.consenthub.crm;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects, as the write-back route's split goes through a claim, the write-backs that were staged
 * for a CRM taking many records per call ({@link CrmWriteBack#STAGED}); the route then hands the
 * list to {@link CrmWriteBack#writeStaged}. Messages delivered, refused or failed on their own add nothing.
 */
@Component("crmWriteBackBatch")
class CrmWriteBackBatch implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange next) {
        Exchange into = collected == null ? next : collected;
        List<Object> staged = collected == null ? new ArrayList<>() : into.getMessage().getBody(List.class);
        Object one = next.getProperty(CrmWriteBack.STAGED);
        if (one != null) {
            staged.add(one);
        }
        into.getMessage().setBody(staged);
        return into;
    }
}
