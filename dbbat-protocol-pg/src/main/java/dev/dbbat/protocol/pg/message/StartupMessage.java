package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A StartupMessage: protocol version and the name/value parameters in the order the client sent them.
 *
 * @param protocolVersion major in the high 16 bits, minor in the low 16 bits
 * @param parameters user, database, application_name, options, ... (unmodifiable, ordered)
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) {

    /** Decodes the body of a {@link StartupPacket} whose code is a protocol version. */
    public static StartupMessage decode(StartupPacket packet) {
        ByteBuf in = packet.content().duplicate();
        Map<String, String> parameters = new LinkedHashMap<>();
        while (in.isReadable()) {
            String name = ByteBufs.readCString(in);
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, ByteBufs.readCString(in));
        }
        return new StartupMessage(packet.code(), Collections.unmodifiableMap(parameters));
    }

    public int minorVersion() {
        return protocolVersion & 0xFFFF;
    }
}
