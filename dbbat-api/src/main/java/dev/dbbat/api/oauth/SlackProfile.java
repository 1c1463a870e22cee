package dev.dbbat.api.oauth;

import java.util.Objects;
import java.util.Optional;

/**
 * The claims DBBat reads from Slack's OpenID Connect userinfo response.
 *
 * @param subject the stable Slack user id ({@code sub})
 * @param emailVerified {@code email_verified} when the provider sent it
 * @param rawJson the whole userinfo response, stored as the identity's metadata
 */
public record SlackProfile(
        String subject,
        Optional<String> name,
        Optional<String> email,
        Optional<Boolean> emailVerified,
        Optional<String> picture,
        Optional<String> teamId,
        Optional<String> teamName,
        String rawJson) {

    public SlackProfile {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rawJson, "rawJson");
    }

    /** The email, when present and not explicitly unverified. */
    public Optional<String> verifiedEmail() {
        return emailVerified.orElse(true) ? email : Optional.empty();
    }

    @Override
    public String toString() {
        return "SlackProfile[" + subject + " team " + teamId.orElse("-") + "]";
    }
}
