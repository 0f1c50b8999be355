/**
 * The Email Opt-In Status and the rules that move it (DESIGN §1.3): part of the consent module,
 * published to the other modules as the named interface {@code optin}.
 */
@org.springframework.modulith.NamedInterface("optin")
package io.consenthub.consent.optin;
