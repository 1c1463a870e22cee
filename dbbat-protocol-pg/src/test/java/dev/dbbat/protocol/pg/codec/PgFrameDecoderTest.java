package dev.dbbat.protocol.pg.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.protocol.pg.message.Bind;
import dev.dbbat.protocol.pg.message.BackendMessages;
import dev.dbbat.protocol.pg.message.Execute;
import dev.dbbat.protocol.pg.message.Parse;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.PgMessages;
import dev.dbbat.protocol.pg.message.RowDescription;
import dev.dbbat.protocol.pg.message.SslResponse;
import dev.dbbat.protocol.pg.message.StartupMessage;
import dev.dbbat.protocol.pg.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgFrameDecoderTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static EmbeddedChannel client() {
        return new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.STARTUP, 10_000, 1 << 20));
    }

    /** Feeds {@code input} whole or one byte per write and returns what came out. */
    private static List<Object> feed(EmbeddedChannel channel, ByteBuf input, boolean byteByByte) {
        if (byteByByte) {
            while (input.isReadable()) {
                channel.writeInbound(input.readRetainedSlice(1));
            }
            input.release();
        } else {
            channel.writeInbound(input);
        }
        List<Object> result = new ArrayList<>();
        for (Object each; (each = channel.readInbound()) != null; ) {
            result.add(each);
        }
        return result;
    }

    @Test
    void decodesPsqlStartupAndQueryWholeAndByteByByte() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            EmbeddedChannel channel = client();
            List<Object> messages = feed(channel, Golden.all("psql-startup-query"), byteByByte);
            assertThat(messages).hasSize(3);
            StartupPacket startup = (StartupPacket) messages.get(0);
            StartupMessage decoded = StartupMessage.decode(startup);
            assertThat(decoded.protocolVersion()).isEqualTo(StartupPacket.PROTOCOL_3_0);
            assertThat(decoded.parameters()).containsExactly(Map.entry("user", "postgres"),
                    Map.entry("database", "postgres"), Map.entry("application_name", "psql"));
            ByteBuf reencoded = PgMessages.startupMessage(ALLOC, decoded.parameters());
            Golden.assertBytes(Golden.messages("psql-startup-query").get(0), reencoded);
            reencoded.release();
            PgFrame query = (PgFrame) messages.get(1);
            assertThat((char) query.type()).isEqualTo('Q');
            ByteBuf encodedQuery = PgMessages.query(ALLOC, "select 1");
            Golden.assertBytes(ByteBufUtilBytes.of(query.content()), encodedQuery);
            encodedQuery.release();
            assertThat((char) ((PgFrame) messages.get(2)).type()).isEqualTo('X');
            messages.forEach(io.netty.util.ReferenceCountUtil::release);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void decodesPgjdbcExtendedQueryWholeAndByteByByte() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 10_000,
                    1 << 20));
            List<Object> messages = feed(channel, Golden.all("pgjdbc-extended"), byteByByte);
            assertThat(messages).extracting(each -> (char) ((PgFrame) each).type())
                    .containsExactly('P', 'B', 'D', 'E', 'S');
            Parse parse = Parse.decode(((PgFrame) messages.get(0)).body(), StandardCharsets.UTF_8);
            assertThat(parse.statement()).isEmpty();
            assertThat(parse.sql()).isEqualTo("SELECT $1::int + 1");
            assertThat(parse.parameterTypes()).containsExactly(23);
            Bind bind = Bind.decode(((PgFrame) messages.get(1)).body(), StandardCharsets.UTF_8);
            assertThat(bind.parameterFormat(0)).isEqualTo(1);
            assertThat(bind.values()[0]).containsExactly(0, 0, 0, 41);
            assertThat(bind.resultFormat(0)).isZero();
            Execute execute = Execute.decode(((PgFrame) messages.get(3)).body(), StandardCharsets.UTF_8);
            assertThat(execute.portal()).isEmpty();
            assertThat(execute.maxRows()).isZero();
            for (int i = 0; i < messages.size(); i++) {
                Golden.assertBytes(Golden.messages("pgjdbc-extended").get(i), ((PgFrame) messages.get(i)).content());
            }
            messages.forEach(io.netty.util.ReferenceCountUtil::release);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void withWholeReadsPassesEveryCompleteMessageAtHandInOneRunWholeOrByteByByte() {
        List<byte[]> expected = Golden.messages("pgjdbc-extended");
        for (boolean byteByByte : new boolean[] {false, true}) {
            PgFrameDecoder decoder = new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 10_000, 1 << 20);
            decoder.wholeReads(true);
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            List<Object> output = feed(channel, Golden.all("pgjdbc-extended"), byteByByte);
            // whole: one run of P B D E S; byte by byte: each message completes on its own read, a run of one
            assertThat(output).hasSize(byteByByte ? expected.size() : 1);
            int next = 0;
            for (Object each : output) {
                PgFrameRun run = (PgFrameRun) each;
                ByteBuf content = run.content();
                for (int i = 0; i < run.messages(); i++) {
                    int wire = content.getInt(content.readerIndex() + 1) + 1;
                    Golden.assertBytes(expected.get(next++), content.readSlice(wire));
                }
                assertThat(content.isReadable()).isFalse();
                assertThat(run.type()).isEqualTo(run.messages() > 1 ? PgFrameRun.MIXED : expected.get(next - 1)[0]);
                run.release();
            }
            assertThat(next).isEqualTo(expected.size());
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void withWholeReadsPassesTheMessagesBeforeABadHeaderThenFails() {
        PgFrameDecoder decoder = new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 100, 1024);
        decoder.wholeReads(true);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf input = PgMessages.query(ALLOC, "select 1").writeByte('Q').writeInt(70_000_000);
        assertThatThrownBy(() -> channel.writeInbound(input)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("frame length: 70000000 (expected: <= 1023)");
        PgFrameRun run = channel.readInbound();
        assertThat(run.messages()).isOne();
        assertThat((char) run.type()).isEqualTo('Q');
        run.release();
        channel.writeInbound(PgMessages.query(ALLOC, "select 2")); // discarded once failed
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesBackendResponseWholeAndByteByByte() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 10_000,
                    1 << 20));
            List<Object> messages = feed(channel, Golden.all("pg15-extended-response"), byteByByte);
            assertThat(messages).extracting(each -> (char) ((PgFrame) each).type())
                    .containsExactly('1', '2', 'T', 'D', 'C', 'Z');
            RowDescription rows = RowDescription.decode(((PgFrame) messages.get(2)).body(), StandardCharsets.UTF_8);
            assertThat(rows.columns()).containsExactly(new RowDescription.Column("?column?", 23, 0));
            assertThat(BackendMessages.commandTag(((PgFrame) messages.get(4)).body(), StandardCharsets.UTF_8))
                    .isEqualTo("SELECT 1");
            assertThat(BackendMessages.rowsOfTag("SELECT 1")).isEqualTo(1);
            assertThat((char) BackendMessages.transactionStatus(((PgFrame) messages.get(5)).body())).isEqualTo('I');
            ByteBuf ready = PgMessages.readyForQuery(ALLOC, (byte) 'I');
            Golden.assertBytes(Golden.messages("pg15-extended-response").get(5), ready);
            ready.release();
            messages.forEach(io.netty.util.ReferenceCountUtil::release);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void decodesSslAnswerThenTypedFrames() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.SSL_RESPONSE, 100,
                1000));
        List<Object> messages = feed(channel, Unpooled.wrappedBuffer(new byte[] {'N', 'Z', 0, 0, 0, 5, 'I'}), true);
        assertThat(messages.get(0)).isEqualTo(new SslResponse(false));
        assertThat((char) ((PgFrame) messages.get(1)).type()).isEqualTo('Z');
        io.netty.util.ReferenceCountUtil.release(messages.get(1));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void keepsDecodingStartupPacketsAfterSslRequest() {
        EmbeddedChannel channel = client();
        ByteBuf input = Unpooled.buffer().writeInt(8).writeInt(StartupPacket.SSL_REQUEST);
        List<Object> messages = feed(channel, input, false);
        assertThat(((StartupPacket) messages.get(0)).code()).isEqualTo(StartupPacket.SSL_REQUEST);
        io.netty.util.ReferenceCountUtil.release(messages.get(0));
        List<Object> startup = feed(channel, Golden.all("psql-startup-query"), false);
        assertThat(startup.get(0)).isInstanceOf(StartupPacket.class);
        startup.forEach(io.netty.util.ReferenceCountUtil::release);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsOversizedStartupPacketBeforeReadingIt() {
        EmbeddedChannel channel = client();
        ByteBuf input = Unpooled.buffer().writeInt(20_000).writeInt(StartupPacket.PROTOCOL_3_0);
        assertThatThrownBy(() -> channel.writeInbound(input)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("startup packet length: 20000 (expected: 8..10000)");
        // after the error everything is discarded
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'Q', 0, 0, 0, 5, 0}));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsOversizedTypedFrameFromItsHeader() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 100, 1024));
        ByteBuf header = Unpooled.buffer().writeByte('Q').writeInt(70_000_000);
        assertThatThrownBy(() -> channel.writeInbound(header)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("frame length: 70000000 (expected: <= 1023)");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsLengthSmallerThanItself() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 100, 1024));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(3)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("frame length: 3 (expected: >= 4)");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsMalformedParse() {
        ByteBuf body = Unpooled.copiedBuffer("stmt", StandardCharsets.UTF_8); // no NUL terminator
        assertThatThrownBy(() -> Parse.decode(body, StandardCharsets.UTF_8)).isInstanceOf(PgProtocolException.class);
        body.release();
    }

    /** Small helper to copy bytes out of a frame. */
    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buf) {
            return io.netty.buffer.ByteBufUtil.getBytes(buf);
        }
    }
}
