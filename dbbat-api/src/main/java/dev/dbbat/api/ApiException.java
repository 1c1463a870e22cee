package dev.dbbat.api;

import java.util.Objects;

/**
 * An expected refusal, rendered as {@code {"error":{"code","message"[,"retry_after"]}}} with its HTTP status. The
 * message is shown to the client: never put a secret in it.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public ApiException(int status, String code, String message, long retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds to wait before retrying (429 only), 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException validation(String message) {
        return new ApiException(400, "VALIDATION_ERROR", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "RATE_LIMITED", "Too many requests. Try again later.",
                Math.max(1, retryAfterSeconds));
    }
}
