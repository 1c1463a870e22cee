package dev.dbbat.api.oauth;

/** A failed exchange with the identity provider. The message is safe to log: it never holds a code or token. */
public final class OAuthFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public OAuthFailure(String message) {
        super(message, null, false, false);
    }
}
