package io.consenthub.preference;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.ApiClient;
import io.consenthub.support.Browser;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.RequiresChromium;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The preference page as a contact uses it, in a real headless Chromium: open the personal link,
 * change consents, read the confirmation mail from GreenMail, confirm in the browser, find the
 * change in the ledger with its evidence. And the ways it must not work.
 */
@HubTest
@ExtendWith(RequiresChromium.class)
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:preference-browser;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")
class PreferencePageBrowserTest {

    private static final Pattern CONFIRM = Pattern.compile("http://localhost:8080(/p/confirm/[A-Za-z0-9_-]{43})");

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    LinkTokens tokens;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;
    @Autowired
    io.consenthub.consent.ConsentLedger ledger;

    ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        TestMailServer.get();
        browser = Browser.open("en-US");
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    @Autowired
    io.consenthub.consent.ConsentRecords consentRecords;

    private record Person(ContactId id, String email, String link) {
    }

    private Person euContact(String firstName) {
        String email = ContactFixtures.uniqueEmail("pref");
        ContactId id = tx.execute(s -> {
            ContactId created = contacts.create(new EmailAddress(email), new Attributes(Map.of(
                    "firstName", firstName, "region", "EU", "nationalId", "19800101-1234", "salesStage", "ready-to-buy",
                    "cardNumber", "4111111111117777")), List.of()).id();
            consentRecords.record(created, "store-card-number", true, new io.consenthub.consent.Evidence(
                    io.consenthub.consent.ActorKind.CONTACT, null, "test-fixture", java.time.Instant.now(), null, null,
                    "fixture", null));
            return created;
        });
        var link = new ApiClient(port).post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "{}");
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        return new Person(id, email, link.json().get("url").asText().replace("http://localhost:8080", base()));
    }

    private long events(ContactId id) {
        return db.queryForObject("select count(*) from consent_event where contact_id = ?", Long.class, id.value());
    }

    private String confirmationLink(String email, int mailNumber) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() >= mailNumber);
        MimeMessage mail = TestMailServer.receivedBy(email).get(mailNumber - 1);
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail).replace("=\r\n", "");
        var matcher = CONFIRM.matcher(body);
        assertThat(matcher.find()).as("confirmation link in " + body).isTrue();
        return base() + matcher.group(1);
    }

    private String h1() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    /** Clicks a button that submits a form and waits until the browser shows the page with that heading. */
    private static void submit(ChromeDriver driver, By button, String nextHeading) {
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.tagName("h1"), nextHeading));
    }

    @Test
    void aContactChangesConsentsConfirmsByEmailAndTheLedgerKeepsTheEvidence() {
        Person anna = euContact("Anna");
        long before = events(anna.id());

        browser.get(anna.link());
        assertThat(h1()).isEqualTo("Your privacy and email preferences");
        assertThat(browser.getPageSource()).contains("•••• 1234").contains("•••• 7777")
                .doesNotContain("19800101-1234").doesNotContain("4111111111117777");
        assertThat(browser.findElement(By.id("c-store-national-id")).isSelected()).as("default of store-national-id").isTrue();
        Browser.screenshot(browser, "preference-page-en");
        browser.findElement(By.cssSelector("label[for='c-newsletter']")).click();
        browser.findElement(By.cssSelector("label[for='c-engagement-tracking']")).click();
        browser.findElement(By.cssSelector("label[for='c-store-national-id']")).click();
        submit(browser, By.id("save"), "Check your email");

        assertThat(h1()).isEqualTo("Check your email");
        assertThat(events(anna.id())).as("nothing applies before confirmation").isEqualTo(before);
        browser.get(confirmationLink(anna.email(), 1));
        assertThat(browser.findElements(By.cssSelector("#changes li"))).extracting(e -> e.getText()).containsExactlyInAnyOrder(
                "Yes to: Monthly newsletter", "Yes to: Track email opens, link clicks and document views",
                "No to: Store my national ID number");
        Browser.screenshot(browser, "preference-confirm-en");
        submit(browser, By.id("confirm"), "Your changes are saved");

        assertThat(h1()).isEqualTo("Your changes are saved");
        // Evidence is stored encrypted: read it through the ledger, which decrypts it.
        var applied = ledger.history(anna.id()).stream().filter(e -> e.evidence().channel().equals("preference-page")).toList();
        assertThat(applied).extracting(e -> e.subject() + "=" + e.value()).containsExactlyInAnyOrder(
                "newsletter=GRANTED", "engagement-tracking=GRANTED", "store-national-id=REVOKED");
        assertThat(applied).allSatisfy(e -> {
            assertThat(e.evidence().actorKind()).isEqualTo(io.consenthub.consent.ActorKind.CONTACT);
            assertThat(e.evidence().ip()).isNotNull();
            assertThat(e.evidence().userAgent()).contains("Chrome");
            assertThat(e.evidence().proofId()).startsWith("token:");
        });
        assertThat(contacts.get(anna.id()).attributes().values()).as("revoked storage erases the field")
                .doesNotContainKey("nationalId").containsKey("cardNumber");
    }

    @Test
    void theConfirmationLinkWorksOnceAndAScannersGetChangesNothing() throws Exception {
        Person bo = euContact("Bo");
        browser.get(bo.link());
        browser.findElement(By.cssSelector("label[for='c-product-news']")).click();
        submit(browser, By.id("save"), "Check your email");
        String confirm = confirmationLink(bo.email(), 1);
        long before = events(bo.id());

        var scanner = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(confirm)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scanner.statusCode()).isEqualTo(200);
        assertThat(events(bo.id())).isEqualTo(before);

        browser.get(confirm);
        submit(browser, By.id("confirm"), "Your changes are saved");
        assertThat(events(bo.id())).isEqualTo(before + 1);

        browser.get(confirm);
        assertThat(h1()).isEqualTo("This link is not valid");
        browser.get(confirm.substring(0, confirm.length() - 1) + (confirm.endsWith("A") ? "B" : "A"));
        assertThat(h1()).isEqualTo("This link is not valid");
    }

    @Test
    void expiredTamperedAndUnknownLinksAllGetTheSameAnswer() {
        Person carl = euContact("Carl");
        String expired = tokens.issue(TokenPurpose.PREFERENCES, carl.id(), "test", Duration.ofSeconds(-1)).token();

        browser.get(base() + "/p/" + expired);
        String expiredPage = browser.findElement(By.tagName("main")).getText();
        browser.get(carl.link().substring(0, carl.link().length() - 2) + "zz");
        String tamperedPage = browser.findElement(By.tagName("main")).getText();
        browser.get(base() + "/p/" + "x".repeat(43));
        String unknownPage = browser.findElement(By.tagName("main")).getText();

        assertThat(expiredPage).isEqualTo(tamperedPage).isEqualTo(unknownPage).contains("This link is not valid");
    }

    /** Someone else's browser, holding the contact's forwarded link, ticks one box and saves. */
    private static void strangerProposes(Person owner, String purpose) {
        ChromeDriver stranger = Browser.open("en-US");
        try {
            stranger.get(owner.link());
            stranger.findElement(By.cssSelector("label[for='c-" + purpose + "']")).click();
            submit(stranger, By.id("save"), "Check your email");
        } finally {
            stranger.quit();
        }
    }

    @Test
    void aForwardedLinkLetsAStrangerProposeButOnlyTheOwnersMailboxCanConfirm() {
        Person dina = euContact("Dina");
        long before = events(dina.id());
        strangerProposes(dina, "share-with-partner-acme");
        confirmationLink(dina.email(), 1);
        assertThat(TestMailServer.receivedBy(dina.email())).hasSize(1);
        assertThat(events(dina.id())).isEqualTo(before);
    }

    private String subjectOf(String email, int mailNumber) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() >= mailNumber);
        return TestMailServer.receivedBy(email).get(mailNumber - 1).getSubject();
    }

    private List<String> listed(String selector) {
        return browser.findElements(By.cssSelector(selector)).stream().map(e -> e.getText()).toList();
    }

    @Test
    void aSecondChangeAndAStrangersProposalLeaveTheFirstConfirmationLinkWorking() throws Exception {
        Person hugo = euContact("Hugo");
        browser.get(hugo.link());
        browser.findElement(By.cssSelector("label[for='c-newsletter']")).click();
        submit(browser, By.id("save"), "Check your email");
        assertThat(listed("#proposed li")).as("the sent page says what was proposed").containsExactly("Yes to: Monthly newsletter");
        assertThat(browser.findElements(By.id("others-pending"))).isEmpty();
        browser.get(hugo.link());
        submit(browser, By.id("stop-processing"), "Check your email");
        assertThat(browser.findElement(By.id("others-pending")).getText()).contains("stay valid");
        strangerProposes(hugo, "product-news");
        String newsletterLink = null;
        String stopLink = null;
        for (int mail = 1; mail <= 3; mail++) {
            String subject = subjectOf(hugo.email(), mail);
            if (subject.equals("Please confirm: Yes to: Monthly newsletter")) {
                newsletterLink = confirmationLink(hugo.email(), mail);
            } else if (subject.startsWith("Please confirm: Yes to: Stop")) {
                stopLink = confirmationLink(hugo.email(), mail);
            } else {
                assertThat(subject).isEqualTo("Please confirm: Yes to: Product news and offers");
            }
        }
        assertThat(newsletterLink).isNotNull();
        assertThat(stopLink).isNotNull();

        browser.get(newsletterLink);
        assertThat(listed("#changes li")).containsExactly("Yes to: Monthly newsletter");
        submit(browser, By.id("confirm"), "Your changes are saved");
        browser.get(stopLink);
        submit(browser, By.id("confirm"), "Your changes are saved");

        var consents = new ApiClient(port).get("/api/contacts/" + hugo.id(), TestKeys.USER).json().get("consents");
        assertThat(consents.get("stopProcessing").asBoolean()).isTrue();
        assertThat(consents.toString()).contains("\"purpose\":\"newsletter\",\"kind\":\"EMAIL_LIST\",\"granted\":true");
        assertThat(consents.toString()).as("the stranger's proposal stays unconfirmed").contains("\"purpose\":\"product-news\",\"kind\":\"EMAIL_LIST\",\"granted\":false");
    }

    @Test
    void aFormThatSaysYesToAListAndUnsubscribeFromAllIsShownAgainAndChangesNothing() {
        Person ida = euContact("Ida");
        long before = events(ida.id());
        browser.get(ida.link());
        browser.findElement(By.cssSelector("label[for='c-newsletter']")).click();
        browser.findElement(By.cssSelector("label[for='unsubscribe-all']")).click();
        browser.findElement(By.id("save")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("contradiction")));

        assertThat(h1()).isEqualTo("Your privacy and email preferences");
        assertThat(browser.findElement(By.id("contradiction")).getText()).contains("Please choose one of them; nothing was changed.");
        assertThat(db.queryForObject("select count(*) from preference_change where contact_id = ?", Long.class, ida.id().value()))
                .as("nothing proposed").isZero();
        assertThat(db.queryForObject("select count(*) from outbox where contact_id = ?", Long.class, ida.id().value()))
                .as("no mail").isZero();
        assertThat(events(ida.id())).isEqualTo(before);
    }

    @Test
    void everyPageAContactSeesHasTheLanguageSwitch() {
        Person jan = euContact("Jan");
        browser.get(jan.link());
        browser.findElement(By.cssSelector("label[for='c-newsletter']")).click();
        submit(browser, By.id("save"), "Check your email");
        assertThat(browser.findElement(By.cssSelector("nav.language a")).getText()).isEqualTo("Svenska");
        browser.get(confirmationLink(jan.email(), 1));
        assertThat(browser.findElements(By.cssSelector("nav.language a"))).hasSize(1);
        submit(browser, By.id("confirm"), "Your changes are saved");
        submit(browser, By.linkText("Svenska"), "Dina ändringar är sparade");
        submit(browser, By.linkText("English"), "Your changes are saved");
        browser.get(base() + "/p/" + "x".repeat(43));
        submit(browser, By.linkText("Svenska"), "Länken gäller inte");
        String doi = tokens.issue(TokenPurpose.DOUBLE_OPT_IN, jan.id(), "<switch@test>", Duration.ofHours(1)).token();
        browser.get(base() + "/confirm/double-opt-in/" + doi);
        submit(browser, By.linkText("English"), "Confirm your subscription");
        browser.findElement(By.tagName("button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Thank you"));
        submit(browser, By.linkText("Svenska"), "Tack");
    }

    @Test
    void aContactsNameIsShownAsTextNeverRunAsScript() {
        Person eve = euContact("<script>alert(1)</script>");

        browser.get(eve.link());

        assertThat(browser.findElement(By.className("greeting")).getText()).isEqualTo("Hello <script>alert(1)</script>,");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void theStopProcessingAndEraseButtonsAreConfirmedByEmailToo() {
        Person fay = euContact("Fay");
        browser.get(fay.link());
        submit(browser, By.id("stop-processing"), "Check your email");
        browser.get(confirmationLink(fay.email(), 1));
        submit(browser, By.id("confirm"), "Your changes are saved");

        browser.get(fay.link());
        assertThat(browser.getPageSource()).contains("You have asked us to stop processing your data.");
        assertThat(new ApiClient(port).get("/api/contacts/" + fay.id(), TestKeys.USER).json()
                .get("consents").get("stopProcessing").asBoolean()).isTrue();
    }

    @Test
    void theSwedishPageFollowsTheBrowsersLanguageAndTheSwitchChangesIt() {
        Person gun = euContact("Gun");
        ChromeDriver swedish = Browser.open("sv-SE");
        try {
            swedish.get(gun.link());
            assertThat(swedish.findElement(By.tagName("h1")).getText()).isEqualTo("Dina integritets- och mejlinställningar");
            assertThat(swedish.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("sv");
            Browser.screenshot(swedish, "preference-page-sv");
            submit(swedish, By.linkText("English"), "Your privacy and email preferences");
        } finally {
            swedish.quit();
        }
    }

    @Test
    void aContactOutsideTheAccessConditionSeesOnlyEmailPreferences() {
        String email = ContactFixtures.uniqueEmail("us");
        ContactId id = tx.execute(s -> contacts.create(new EmailAddress(email),
                new Attributes(Map.of("region", "US", "nationalId", "123-45-6789")), List.of()).id());
        String link = new ApiClient(port).post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "{}")
                .json().get("url").asText().replace("http://localhost:8080", base());

        browser.get(link);

        assertThat(browser.findElements(By.id("c-newsletter"))).hasSize(1);
        assertThat(browser.findElements(By.id("c-store-national-id"))).isEmpty();
        assertThat(browser.findElements(By.id("stop-processing"))).isEmpty();
        assertThat(browser.findElements(By.id("erase"))).isEmpty();
    }

    @Test
    void theOneClickPostOfAMailClientOptsOutWithoutAnyCookie() throws Exception {
        Person hugo = euContact("Hugo");
        String token = tokens.issue(TokenPurpose.UNSUBSCRIBE, hugo.id(), "test", Duration.ofDays(1)).token();

        browser.get(base() + "/u/" + token);
        assertThat(optIn.status(hugo.id())).as("opening the page changes nothing").isEqualTo(EmailOptInStatus.NONE);
        var post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/u/" + token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(optIn.status(hugo.id())).isEqualTo(EmailOptInStatus.OPT_OUT_CONTACT);
        browser.navigate().refresh();
        assertThat(browser.getPageSource()).contains("You have unsubscribed from all marketing email.");
    }
}
