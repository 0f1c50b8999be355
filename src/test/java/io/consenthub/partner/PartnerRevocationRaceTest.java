package io.consenthub.partner;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.consenthub.ConsentHubApplication;
import io.consenthub.contact.ContactId;
import io.consenthub.support.ApiClient;
import io.consenthub.support.PartnerPurposes;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The revocation fence under a real race (issue 13, item 7): two hubs on one PostgreSQL schema,
 * each with its own web port, Camel and embedded Hazelcast (both deliver partner messages), and
 * eight threads granting and revoking the consents to two partners of a handful of contacts and
 * asking for shares, at random, against either hub. The partner stand-in checks every share as it arrives,
 * while the delivering hub is still waiting for its answer:
 * <ul>
 *   <li>(a) a revocation of that contact committed after the consent event that authorised the
 *   share ({@code authorizedBy.consentEventSeq}, the ledger's per-contact commit order): the share
 *   was decided before the revocation and arrived after it;</li>
 *   <li>(b) a revocation notice of that contact, to any partner, not acknowledged yet.</li>
 * </ul>
 * The hub must show none. The control run puts a deliberately naive sender ({@link NaivePartnerSender}:
 * READ COMMITTED, no fence) in place of the hub's share route in the same harness, and the same
 * checks must find violations there, or this test could not fail.
 */
@ExtendWith(RequiresPostgres.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerRevocationRaceTest {

    private static final String SCHEMA = "consent_hub_partner_race";
    /** acme from config/partners.yaml, beta added here: a notice to either must hold back shares to both. */
    private static final List<String> PARTNERS = List.of("acme", "beta");
    private static final int THREADS = 8;
    private static final int CONTACTS = 6;

    private static final PartnerStandIn partner = new PartnerStandIn();
    private static final List<ConfigurableApplicationContext> hubs = new ArrayList<>();
    private static final List<ApiClient> apis = new ArrayList<>();
    private static HikariDataSource checks;
    private static JdbcTemplate db;

    private static final AtomicLong afterRevocation = new AtomicLong();
    private static final AtomicLong whileNoticeUnacknowledged = new AtomicLong();
    private static final Map<String, Integer> webhookIds = new ConcurrentHashMap<>();

    @BeforeAll
    static void twoHubsOnOnePostgresSchema() {
        String url = PostgresTestDatabase.freshSchema(SCHEMA);
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setPoolName("race-checks");
        checks = new HikariDataSource(config);
        db = new JdbcTemplate(checks);
        for (int i = 0; i < 2; i++) {
            var hub = hub(url);
            hubs.add(hub);
            apis.add(new ApiClient(((WebServerApplicationContext) hub).getWebServer().getPort()));
        }
        partner.onReceive(PartnerRevocationRaceTest::check);
    }

    @AfterAll
    static void stop() {
        hubs.forEach(ConfigurableApplicationContext::close);
        partner.close();
        if (checks != null) {
            checks.close();
        }
    }

    private static ConfigurableApplicationContext hub(String url) {
        var args = new ArrayList<String>();
        PartnerPurposes.properties(List.of("beta"), partner.url()).forEach((name, value) -> args.add("--" + name + "=" + value));
        args.addAll(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=10",
                "--spring.flyway.default-schema=" + PostgresTestDatabase.schema(SCHEMA),
                "--consent-hub.dev-mail.enabled=false",
                "--consent-hub.preferences.notify-enabled=false",
                "--consent-hub.email.inbound.enabled=false",
                "--consent-hub.email.smtp.port=" + Integer.getInteger("consenthub.test.smtp-port", 3941),
                "--consent-hub.email.inbound.port=" + Integer.getInteger("consenthub.test.imap-port", 3942),
                "--consent-hub.crypto.kek=",
                "--consent-hub.crypto.kek-file=target/test-kek.json",
                "--consent-hub.crypto.generate-kek=true",
                "--consent-hub.crypto.key-store.url=",
                "--consent-hub.signing.keyset-file=target/test-signing-keyset.json",
                "--consent-hub.crm.connectors.demo-crm.enabled=false",
                "--consent-hub.api.dev-key-file=",
                "--consent-hub.api.keys[0].name=test-admin",
                "--consent-hub.api.keys[0].role=ADMIN",
                "--consent-hub.api.keys[0].key=" + TestKeys.ADMIN,
                "--consent-hub.api.keys[1].name=test-user",
                "--consent-hub.api.keys[1].role=USER",
                "--consent-hub.api.keys[1].key=" + TestKeys.USER,
                // the shipped partner config (config/partners.yaml: timeouts, retry, circuit), pointed at the stand-in
                "--consent-hub.partner-sharing.partners.acme.url=" + partner.url(),
                "--consent-hub.partner-sharing.partners.acme.signing.secret=" + PartnerStandIn.SECRET));
        return new SpringApplicationBuilder(ConsentHubApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * Runs in the stand-in for every share it accepts, before it answers: the delivering hub is
     * still inside its call, so what the store shows now is what had committed when the share arrived.
     */
    private static void check(PartnerStandIn.Received call) {
        webhookIds.merge(call.webhookId(), 1, Integer::sum);
        if (!"contact.shared".equals(call.type())) {
            return;
        }
        UUID contact = UUID.fromString(call.contactId());
        var authorizedBy = call.data().path("authorizedBy").path("consentEventSeq");
        String purpose = call.data().path("authorizedBy").path("purpose").asText(null);
        if (!authorizedBy.canConvertToLong() || purpose == null
                || db.queryForObject("select count(*) from consent_event where contact_id = ? and subject = ? and new_value = 'REVOKED'"
                + " and seq > ?", Long.class, contact, purpose, authorizedBy.asLong()) > 0) {
            afterRevocation.incrementAndGet();
        }
        if (db.queryForObject("select count(*) from outbox where contact_id = ? and kind = ? and status in ('PENDING', 'IN_FLIGHT')",
                Long.class, contact, PartnerShares.NOTICE) > 0) {
            whileNoticeUnacknowledged.incrementAndGet();
        }
    }

    /** What one run did. */
    record Run(int operations, long grants, long revocations, long shareRequests, long unexpected, long violations,
               long afterRevocation, long whileNoticeUnacknowledged, long sharesDelivered, long noticesAcknowledged, long seconds) {
    }

    /** How a worker asks for a share: through a hub's API (the fenced route), or the naive sender. */
    interface Sharer {
        void share(int hub, String contact, String partnerId) throws Exception;
    }

    @Test
    @Order(1)
    void underConcurrentRevocationsAndSharesOnTwoHubsNoShareArrivesAfterItsRevocationOrBeforeItsNoticeIsAcknowledged()
            throws Exception {
        Run run = race(10_000, (hub, contact, partnerId) -> {
            var answer = apis.get(hub).post("/api/partners/" + partnerId + "/shares", TestKeys.USER, ApiClient.json(Map.of("contactId", contact)));
            if (answer.status() != 202 && answer.status() != 409) {
                throw new IllegalStateException("share request answered " + answer.status() + ": " + answer.text());
            }
        });
        System.out.println("partner revocation race (2 hubs, PostgreSQL, " + THREADS + " threads, " + CONTACTS + " contacts, partners "
                + PARTNERS + "): " + run);

        assertThat(run.unexpected()).as("answers other than 200/202/409").isZero();
        assertThat(partner.badSignatures()).isEmpty();
        assertThat(afterRevocation.get()).as("shares received after their revocation committed").isZero();
        assertThat(whileNoticeUnacknowledged.get()).as("shares received while a revocation notice was unacknowledged").isZero();
        assertThat(webhookIds.values()).as("a webhook id received twice").allMatch(n -> n == 1);
        assertThat(run.operations()).isGreaterThanOrEqualTo(10_000);
        // the race was a race: shares and notices crossed many times
        assertThat(run.sharesDelivered()).isGreaterThan(100);
        assertThat(run.noticesAcknowledged()).isGreaterThan(100);
    }

    @Test
    @Order(2)
    void theSameHarnessFindsViolationsOfANaiveSenderThatChecksConsentWithoutTheFence() throws Exception {
        var naive = List.of(new NaivePartnerSender(hubs.get(0)), new NaivePartnerSender(hubs.get(1)));
        Run run = race(4_000, (hub, contact, partnerId) -> naive.get(hub).share(ContactId.parse(contact), partnerId,
                PartnerPurposes.purpose(partnerId)));
        System.out.println("partner revocation race, control (naive sender: READ COMMITTED, no fence): " + run);

        assertThat(run.violations()).as("the harness must catch a sender without the fence").isPositive();
    }

    private static Run race(int operations, Sharer sharer) throws Exception {
        afterRevocation.set(0);
        whileNoticeUnacknowledged.set(0);
        webhookIds.clear();
        partner.clear();
        long deliveredBefore = delivered(PartnerShares.NOTICE);
        var contacts = new ArrayList<String>();
        for (int i = 0; i < CONTACTS; i++) {
            var created = apis.get(0).post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                    "email", "race-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org",
                    "attributes", Map.of("firstName", "Race" + i))));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            contacts.add(created.json().get("id").asText());
        }
        var next = new AtomicInteger();
        var grants = new AtomicLong();
        var revocations = new AtomicLong();
        var shareRequests = new AtomicLong();
        var unexpected = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        var workers = new ArrayList<Future<?>>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                var random = ThreadLocalRandom.current();
                while (next.getAndIncrement() < operations) {
                    int hub = random.nextInt(hubs.size());
                    String contact = contacts.get(random.nextInt(contacts.size()));
                    String partnerId = PARTNERS.get(random.nextInt(PARTNERS.size()));
                    int dice = random.nextInt(10);
                    try {
                        if (dice < 7) {
                            boolean granted = dice < 4;
                            var answer = apis.get(hub).post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                                    ApiClient.json(Map.of("purpose", PartnerPurposes.purpose(partnerId), "granted", granted)));
                            if (answer.status() != 200) {
                                throw new IllegalStateException("consent answered " + answer.status() + ": " + answer.text());
                            }
                            (granted ? grants : revocations).incrementAndGet();
                        } else {
                            sharer.share(hub, contact, partnerId);
                            shareRequests.incrementAndGet();
                        }
                    } catch (Exception e) {
                        unexpected.incrementAndGet();
                        System.out.println("race operation failed: " + e.getMessage());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        // every share and notice the operations left behind reaches its end (delivered or cancelled)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> db.queryForObject(
                "select count(*) from outbox where kind in (?, ?) and status in ('PENDING', 'IN_FLIGHT')",
                Long.class, PartnerShares.SHARE, PartnerShares.NOTICE) == 0);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        var received = partner.received();
        long shares = received.stream().filter(r -> r.type().equals("contact.shared")).count();
        long notices = received.stream().filter(r -> r.type().equals("consent.revoked")).count();
        assertThat(delivered(PartnerShares.NOTICE) - deliveredBefore).as("notices the hub counts as acknowledged").isEqualTo(notices);
        assertThat(new HashSet<>(contacts)).hasSize(CONTACTS);
        return new Run(operations, grants.get(), revocations.get(), shareRequests.get(), unexpected.get(),
                afterRevocation.get() + whileNoticeUnacknowledged.get(), afterRevocation.get(), whileNoticeUnacknowledged.get(),
                shares, notices, seconds);
    }

    private static long delivered(String kind) {
        return db.queryForObject("select count(*) from outbox where kind = ? and status = 'DELIVERED'", Long.class, kind);
    }
}
