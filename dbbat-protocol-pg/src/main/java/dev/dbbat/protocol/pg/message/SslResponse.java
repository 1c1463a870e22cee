package dev.dbbat.protocol.pg.message;

/**
 * The single byte a server answers an SSLRequest with: {@code 'S'} (go ahead with TLS) or {@code 'N'}.
 *
 * @param willing whether the server answered {@code 'S'}
 */
public record SslResponse(boolean willing) {}
