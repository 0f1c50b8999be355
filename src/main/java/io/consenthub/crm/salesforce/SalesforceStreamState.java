package io.consenthub.crm.salesforce;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Per connector and channel, the replay id of the last change event the hub applied
 * ({@code sf_stream_state}), in the hub's database so that a restarted hub and a new cluster leader
 * subscribe from the same place; and what the status shows of the stream.
 */
@Repository
class SalesforceStreamState {

    /** A stream as last recorded; {@code lastError} names codes and record ids, never values. */
    record StreamState(String channel, Long replayId, long events, Instant lastEventAt, Instant subscribedSince,
                       String lastError, Instant lastErrorAt) {
    }

    private final JdbcClient jdbc;

    SalesforceStreamState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StreamState> of(String connectorId, String channel) {
        return jdbc.sql("""
                select channel, replay_id, events, last_event_at, subscribed_since, last_error, last_error_at
                  from sf_stream_state where connector_id = ? and channel = ?""")
                .params(connectorId, channel)
                .query((rs, n) -> new StreamState(rs.getString(1), rs.getObject(2, Long.class), rs.getLong(3),
                        instant(rs.getObject(4, OffsetDateTime.class)), instant(rs.getObject(5, OffsetDateTime.class)),
                        rs.getString(6), instant(rs.getObject(7, OffsetDateTime.class))))
                .optional();
    }

    /** The replay id to subscribe from: the last applied event's, if any. */
    Optional<Long> replayId(String connectorId, String channel) {
        return of(connectorId, channel).map(StreamState::replayId);
    }

    /**
     * An event was handled: its replay id is where the next subscription starts. Events come in
     * order within a subscription, so the last one handled is kept as it is, even when lower than the
     * one stored (Salesforce does not promise replay ids across an org migration).
     */
    void received(String connectorId, String channel, long replayId, Instant at) {
        ensure(connectorId, channel);
        jdbc.sql("""
                update sf_stream_state set replay_id = ?, events = events + 1, last_event_at = ?
                 where connector_id = ? and channel = ?""")
                .params(replayId, utc(at), connectorId, channel).update();
    }

    void subscribed(String connectorId, String channel, Instant at) {
        ensure(connectorId, channel);
        jdbc.sql("update sf_stream_state set subscribed_since = ?, last_error = null, last_error_at = null where connector_id = ? and channel = ?")
                .params(utc(at), connectorId, channel).update();
    }

    void unsubscribed(String connectorId, String channel) {
        jdbc.sql("update sf_stream_state set subscribed_since = null where connector_id = ? and channel = ?")
                .params(connectorId, channel).update();
    }

    void failed(String connectorId, String channel, String error, Instant at) {
        ensure(connectorId, channel);
        jdbc.sql("update sf_stream_state set last_error = ?, last_error_at = ? where connector_id = ? and channel = ?")
                .params(error == null || error.length() <= 1000 ? error : error.substring(0, 1000), utc(at), connectorId, channel)
                .update();
    }

    private void ensure(String connectorId, String channel) {
        if (jdbc.sql("select count(*) from sf_stream_state where connector_id = ? and channel = ?")
                .params(connectorId, channel).query(Long.class).single() == 0) {
            try {
                jdbc.sql("insert into sf_stream_state (connector_id, channel, events) values (?, ?, 0)")
                        .params(connectorId, channel).update();
            } catch (DuplicateKeyException e) {
                // Another member inserted it meanwhile: the update that follows finds it.
            }
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
