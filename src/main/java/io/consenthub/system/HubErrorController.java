package io.consenthub.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

import java.io.IOException;

/**
 * Every error the servlet container forwards (unknown paths, paths the firewall refuses, failures
 * outside the API routes) answered in the hub's documented shape: the JSON problem for API and
 * other clients, the hub's HTML error page for a browser on a page. Replaces Spring's default,
 * whose JSON differs and whose HTML names the framework.
 */
@Controller
class HubErrorController implements ErrorController {

    private final ObjectMapper json;

    HubErrorController(ObjectMapper json) {
        this.json = json;
    }

    @RequestMapping("/error")
    String error(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
        int status = statusOf(request);
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        response.setStatus(status);
        if (wantsPage(request, path)) {
            model.addAttribute("status", status);
            return "error";
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem(status));
        return null;
    }

    static ApiProblem problem(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String message = switch (status) {
            case 400 -> "the request could not be read: check the path, its encoding and the parameters";
            case 404 -> "there is nothing at this address; the API is described at /api/openapi.json";
            case 405 -> "this method is not allowed here";
            case 413 -> "the request is larger than the hub accepts";
            case 431 -> "the request headers are larger than the hub accepts";
            default -> status >= 500 ? "the hub could not complete this request" : "the request was refused";
        };
        return new ApiProblem(status, known == null ? "Error" : known.getReasonPhrase(), message);
    }

    private static int statusOf(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return code instanceof Integer value && value >= 400 ? value : 500;
    }

    private static boolean wantsPage(HttpServletRequest request, String path) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html") && !path.startsWith("/api/") && !path.startsWith("/actuator/");
    }
}
