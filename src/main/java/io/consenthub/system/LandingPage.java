package io.consenthub.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /}: a small page pointing a new user to the dev mailbox, the API document and health. */
@Controller
class LandingPage {

    private final boolean devMail;

    LandingPage(@Value("${consent-hub.dev-mail.enabled:false}") boolean devMail) {
        this.devMail = devMail;
    }

    @GetMapping("/")
    String landing(Model model) {
        model.addAttribute("devMail", devMail);
        return "landing";
    }
}
