package dev.dbbat.protocol.pg.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads annotated hex vectors from {@code src/test/resources/golden/pg}: one message per line, {@code #} comments. */
public final class Golden {
    private Golden() {}

    /** Every message of a vector, in order, as byte arrays. */
    public static List<byte[]> messages(String name) {
        List<byte[]> result = new ArrayList<>();
        for (String line : lines(name)) {
            String hex = line.replaceAll("#.*", "").replaceAll("\\s+", "");
            if (!hex.isEmpty()) {
                result.add(ByteBufUtil.decodeHexDump(hex));
            }
        }
        return result;
    }

    /** The whole vector as one buffer. */
    public static ByteBuf all(String name) {
        ByteBuf result = Unpooled.buffer();
        messages(name).forEach(result::writeBytes);
        return result;
    }

    private static List<String> lines(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/pg/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden vector " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Fails with both hex dumps when the bytes differ. */
    public static void assertBytes(byte[] expected, ByteBuf actual) {
        byte[] bytes = ByteBufUtil.getBytes(actual);
        if (!java.util.Arrays.equals(expected, bytes)) {
            throw new AssertionError("bytes differ\nexpected:\n" + ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(
                    expected)) + "\nactual:\n" + ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(bytes)));
        }
    }
}
