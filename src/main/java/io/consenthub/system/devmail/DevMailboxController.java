package io.consenthub.system.devmail;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dev mailbox page: every mail the embedded SMTP server received, newest first. */
@Controller
@ConditionalOnProperty(name = "consent-hub.dev-mail.enabled", havingValue = "true")
class DevMailboxController {

    private final DevMailServer server;

    DevMailboxController(DevMailServer server) {
        this.server = server;
    }

    @GetMapping("/dev/mailbox")
    String mailbox(Model model) {
        model.addAttribute("mails", server.received());
        model.addAttribute("port", server.port());
        model.addAttribute("storeDir", server.storeDir());
        return "dev-mailbox";
    }
}
