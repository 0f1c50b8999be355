package io.consenthub.system.devmail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A mail's body as a person reads it: transfer encodings (quoted-printable, base64) and charsets
 * decoded by Jakarta Mail, the plain-text alternative preferred over HTML, every text part of a
 * mixed message in order, attachments named rather than shown.
 */
final class MailText {

    private MailText() {
    }

    static String of(Part part) {
        try {
            return text(part).strip();
        } catch (MessagingException | IOException e) {
            return "(the body could not be decoded: " + e.getMessage() + ")";
        }
    }

    private static String text(Part part) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return "[attachment: " + part.getFileName() + "]\n";
        }
        if (part.isMimeType("multipart/alternative")) {
            Multipart alternatives = (Multipart) part.getContent();
            BodyPart chosen = null;
            for (int i = 0; i < alternatives.getCount(); i++) {
                BodyPart candidate = alternatives.getBodyPart(i);
                if (chosen == null || candidate.isMimeType("text/plain")) {
                    chosen = candidate;
                }
            }
            return chosen == null ? "" : text(chosen);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart parts = (Multipart) part.getContent();
            var all = new StringBuilder();
            for (int i = 0; i < parts.getCount(); i++) {
                all.append(text(parts.getBodyPart(i))).append('\n');
            }
            return all.toString();
        }
        Object content = part.getContent();
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof InputStream in) {
            return part.isMimeType("text/*") ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    : "[" + part.getContentType().split(";")[0] + " part]";
        }
        return "[" + part.getContentType().split(";")[0] + " part]";
    }
}
