package dev.dbbat.protocol.pg.codec;

import io.netty.handler.codec.CodecException;

/** A malformed or oversized PostgreSQL protocol message. The session answers SQLSTATE 08P01 and closes. */
public final class PgProtocolException extends CodecException {
    private static final long serialVersionUID = 1L;

    public PgProtocolException(String message) {
        super(message);
    }
}
