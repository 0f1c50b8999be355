package io.consenthub.partner;

import io.consenthub.consent.ContactStates;
import io.consenthub.outbox.OutboxMessage;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The revocation fence around a partner delivery ({@code - policy: ref: partnerFence}): the steps
 * inside run in one transaction that first takes the fence of the contact's ledger chain
 * ({@link ContactStates#readFenced}) and checks the order of the contact's messages
 * ({@link PartnerDelivery#checkOrder}). A revocation's append waits for the fence, so no revocation
 * can commit between the gate's "yes" and the partner's reply: a payload the partner receives was
 * allowed when it arrived. The cost is that a revocation of this contact waits for at most one call
 * (the partner's {@code timeout}). The wrapped steps run on this thread (camel-http is blocking), and
 * any exception rolls the transaction back and is left on the exchange for the route's error handler.
 */
@Component("partnerFence")
class PartnerFence implements Policy {

    private final ContactStates states;
    private final PartnerDelivery delivery;
    private final TransactionTemplate transactions;

    PartnerFence(ContactStates states, PartnerDelivery delivery, PlatformTransactionManager transactionManager) {
        this.states = states;
        this.delivery = delivery;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare: the fence is taken per message
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return new DelegateAsyncProcessor(processor) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                try {
                    transactions.executeWithoutResult(tx -> {
                        OutboxMessage message = exchange.getProperty(PartnerDelivery.MESSAGE, OutboxMessage.class);
                        if (message == null) {
                            throw new IllegalStateException("the route put no partner message on the exchange before the fence");
                        }
                        states.readFenced(message.contactId());
                        delivery.checkOrder(message);
                        try {
                            processor.process(exchange);
                        } catch (Exception e) {
                            exchange.setException(e);
                        }
                        if (exchange.getException() != null) {
                            tx.setRollbackOnly();
                        }
                    });
                } catch (RuntimeException e) {
                    exchange.setException(e);
                }
                callback.done(true);
                return true;
            }
        };
    }
}
