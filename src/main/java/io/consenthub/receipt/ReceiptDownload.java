package io.consenthub.receipt;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * {@code GET /r/{id}}: a receipt as its signed JWT ({@code application/jwt}), linked from the
 * preference page and the "saved" page. The id is a random UUID, the link's only credential, and a
 * receipt holds no personal data beyond the contact's pseudonymous id; an unknown or malformed id is
 * a 404 alike.
 */
@RestController
class ReceiptDownload {

    private final ConsentReceipts receipts;

    ReceiptDownload(ConsentReceipts receipts) {
        this.receipts = receipts;
    }

    @GetMapping("/r/{id}")
    ResponseEntity<String> download(@PathVariable String id) {
        UUID receipt;
        try {
            receipt = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound();
        }
        return receipts.signed(receipt)
                .map(jws -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jwt"))
                        .header("Content-Disposition", "attachment; filename=\"consent-receipt-" + receipt + ".jwt\"").body(jws))
                .orElseGet(ReceiptDownload::notFound);
    }

    private static ResponseEntity<String> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN).body("there is no such receipt");
    }
}
