package dev.dbbat.protocol.pg.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.SslResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PgBackendDecoderTest {

    /** A message: type, int32 length, body. */
    private static byte[] message(char type, byte[] body) {
        ByteBuf buf = Unpooled.buffer().writeByte(type).writeInt(body.length + 4).writeBytes(body);
        byte[] result = ByteBufUtil.getBytes(buf);
        buf.release();
        return result;
    }

    private static byte[] dataRow(int size, int seed) {
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) ('a' + seed % 26));
        ByteBuf body = Unpooled.buffer().writeShort(1).writeInt(size).writeBytes(value);
        byte[] result = message('D', ByteBufUtil.getBytes(body));
        body.release();
        return result;
    }

    private static byte[] text(char type, String text) {
        return message(type, (text + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A result as the upstream sends it: RowDescription, DataRows, a NoticeResponse in the middle of the rows, more
     * DataRows, CommandComplete, then COPY OUT data, an ErrorResponse between CopyData, and ReadyForQuery.
     */
    private static List<byte[]> response() {
        List<byte[]> messages = new ArrayList<>(Golden.messages("pg15-extended-response"));
        messages.remove(messages.size() - 1); // its ReadyForQuery goes last
        for (int i = 0; i < 5; i++) {
            messages.add(dataRow(7 + i * 3, i));
        }
        messages.add(text('N', "SNOTICE"));
        for (int i = 0; i < 3; i++) {
            messages.add(dataRow(1 + i, i));
        }
        messages.add(text('C', "SELECT 8"));
        messages.add(message('H', new byte[] {0, 0, 1, 0, 0}));
        messages.add(message('d', "1\tone\n".getBytes(StandardCharsets.UTF_8)));
        messages.add(message('d', "2\ttwo\n".getBytes(StandardCharsets.UTF_8)));
        messages.add(dataRow(2, 9)); // out of protocol, but a run must not mix types
        messages.add(message('d', "3\tthree\n".getBytes(StandardCharsets.UTF_8)));
        messages.add(text('E', "SERROR"));
        messages.add(message('d', new byte[0]));
        messages.add(message('c', new byte[0]));
        messages.add(message('Z', new byte[] {'I'}));
        return messages;
    }

    private static byte[] concat(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Feeds {@code input} cut at the given offsets, one channelRead per piece; returns what came out. */
    private static List<Object> feed(EmbeddedChannel channel, byte[] input, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, from, cut)));
            from = cut;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, from, input.length)));
        List<Object> result = new ArrayList<>();
        for (Object each; (each = channel.readInbound()) != null; ) {
            result.add(each);
        }
        return result;
    }

    private static int assertSameMessages(List<Object> output, List<byte[]> expected, boolean coalesce) {
        return assertSameMessages(output, expected, coalesce, false);
    }

    /**
     * Checks that the output is the input message for message, in order: each frame one whole message, each run
     * whole messages of one type ('D' or 'd'; any type, or several, with whole reads), nothing split, nothing lost;
     * then releases everything.
     */
    private static int assertSameMessages(List<Object> output, List<byte[]> expected, boolean coalesce,
            boolean whole) {
        int runs = 0;
        int next = 0;
        for (Object each : output) {
            ByteBuf content = ((ByteBufHolder) each).content();
            if (each instanceof PgFrameRun run) {
                assertThat(coalesce || whole).isTrue();
                if (!whole) {
                    assertThat((char) run.type()).isIn('D', 'd');
                }
                runs++;
                int count = 0;
                Set<Byte> types = new HashSet<>();
                while (content.isReadable()) {
                    int wire = content.getInt(content.readerIndex() + 1) + 1;
                    assertThat(content.readableBytes()).isGreaterThanOrEqualTo(wire);
                    byte[] bytes = ByteBufUtil.getBytes(content.readSlice(wire));
                    if (run.type() != PgFrameRun.MIXED) {
                        assertThat(bytes[0]).isEqualTo(run.type());
                    }
                    types.add(bytes[0]);
                    assertThat(bytes).isEqualTo(expected.get(next++));
                    count++;
                }
                assertThat(count).isEqualTo(run.messages());
                assertThat(types.size() > 1).isEqualTo(run.type() == PgFrameRun.MIXED);
            } else {
                PgFrame frame = (PgFrame) each;
                byte[] bytes = ByteBufUtil.getBytes(content);
                assertThat(bytes).isEqualTo(expected.get(next++));
                assertThat(frame.type()).isEqualTo(bytes[0]);
            }
            ReferenceCountUtil.release(each);
        }
        assertThat(next).isEqualTo(expected.size());
        return runs;
    }

    @Test
    void coalescesRunsAndKeepsEveryMessageWholeAtEverySplitPoint() {
        List<byte[]> messages = response();
        byte[] input = concat(messages);
        for (boolean coalesce : new boolean[] {true, false}) {
            EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1 << 20, coalesce));
            int runs = assertSameMessages(feed(channel, input), messages, coalesce);
            if (coalesce) {
                // 1 2 T [D] C [D x5] N [D x3] C H [d d] [D] [d] E [d] c Z
                assertThat(runs).isEqualTo(7);
            } else {
                assertThat(runs).isZero();
            }
            for (int cut = 1; cut < input.length; cut++) {
                assertSameMessages(feed(channel, input, cut), messages, coalesce);
            }
            for (int a = 1; a < input.length; a += 7) {
                for (int b = a + 1; b < input.length; b += 5) {
                    assertSameMessages(feed(channel, input, a, b), messages, coalesce);
                }
            }
            int[] everyByte = new int[input.length - 1];
            for (int i = 0; i < everyByte.length; i++) {
                everyByte[i] = i + 1;
            }
            assertSameMessages(feed(channel, input, everyByte), messages, coalesce);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void firesEachReadWholeAndKeepsEveryMessageWholeAtEverySplitPoint() {
        List<byte[]> messages = response();
        byte[] input = concat(messages);
        PgBackendDecoder decoder = new PgBackendDecoder(1 << 20, false);
        decoder.wholeReads(true);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Object> one = feed(channel, input);
        assertThat(one).hasSize(1);
        assertThat(((PgFrameRun) one.get(0)).type()).isEqualTo(PgFrameRun.MIXED);
        assertThat(assertSameMessages(one, messages, false, true)).isEqualTo(1);
        for (int cut = 1; cut < input.length; cut++) {
            List<Object> output = feed(channel, input, cut);
            // a run per read; the message cut in two, if any, as a frame of its own
            assertThat(output).hasSizeBetween(1, 3);
            assertThat(output.stream().filter(PgFrame.class::isInstance)).hasSizeLessThanOrEqualTo(1);
            assertSameMessages(output, messages, false, true);
        }
        int[] everyByte = new int[input.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertSameMessages(feed(channel, input, everyByte), messages, false, true);
        // whole reads off again: frames and no runs
        decoder.wholeReads(false);
        assertThat(assertSameMessages(feed(channel, input), messages, false, false)).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aWholeReadOfOneTypeIsARunOfThatType() {
        PgBackendDecoder decoder = new PgBackendDecoder(1 << 20, false);
        decoder.wholeReads(true);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<byte[]> messages = List.of(message('Z', new byte[] {'I'}), message('Z', new byte[] {'T'}));
        List<Object> output = feed(channel, concat(messages));
        assertThat(output).hasSize(1);
        assertThat((char) ((PgFrameRun) output.get(0)).type()).isEqualTo('Z');
        assertSameMessages(output, messages, false, true);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void forwardsRowsLargerThanAReadAndRandomReadSizes() {
        List<byte[]> messages = new ArrayList<>();
        messages.add(text('T', "row description"));
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            int size = i % 50 == 7 ? 300_000 + random.nextInt(100_000) : random.nextInt(3000);
            messages.add(dataRow(size, i));
        }
        messages.add(text('C', "SELECT 400"));
        messages.add(message('Z', new byte[] {'I'}));
        byte[] input = concat(messages);
        for (int round = 0; round < 20; round++) {
            EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1 << 20, true));
            List<Integer> cuts = new ArrayList<>();
            int at = 0;
            while (true) {
                at += 1 + random.nextInt(round < 10 ? 65536 : 3000);
                if (at >= input.length) {
                    break;
                }
                cuts.add(at);
            }
            List<Object> output = feed(channel, input, cuts.stream().mapToInt(Integer::intValue).toArray());
            assertSameMessages(output, messages, true);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void aRunIsOneSliceOfTheReadBuffer() {
        List<byte[]> rows = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            rows.add(dataRow(1000, i));
        }
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1 << 20, true));
        ByteBuf read = Unpooled.directBuffer().writeBytes(concat(rows));
        channel.writeInbound(read);
        PgFrameRun run = channel.readInbound();
        assertThat(run.messages()).isEqualTo(64);
        assertThat(run.wireLength()).isEqualTo(64 * 1011);
        read.setByte(100, 'Q'); // no copy: the run shares the read buffer's memory
        assertThat((char) run.content().getByte(run.content().readerIndex() + 100)).isEqualTo('Q');
        assertThat((Object) channel.readInbound()).isNull();
        run.release();
        assertThat(read.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsAnOversizedMessageFromItsHeaderEvenAcrossReads() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        channel.writeInbound(Unpooled.wrappedBuffer(dataRow(10, 1)), Unpooled.wrappedBuffer(new byte[] {'D', 0}));
        PgFrameRun first = channel.readInbound();
        assertThat(first.messages()).isEqualTo(1);
        first.release();
        // the rest of the header: 4 MB announced, nothing of the body sent
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x42, 0, 0})))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(PgProtocolException.class)
                .hasMessageContaining("frame length: 4325376 (expected: <= 1023)");
        // after the error everything is discarded
        channel.writeInbound(Unpooled.wrappedBuffer(message('Z', new byte[] {'I'})));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsAnOversizedMessageAfterARunInTheSameRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        ByteBuf input = Unpooled.buffer().writeBytes(dataRow(10, 1)).writeBytes(dataRow(10, 2)).writeByte('D')
                .writeInt(5000);
        assertThatThrownBy(() -> channel.writeInbound(input)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("frame length: 5000 (expected: <= 1023)");
        assertThat(input.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsLengthSmallerThanItself() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer().writeByte('D').writeInt(3)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("frame length: 3 (expected: >= 4)");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesTheSslAnswerThenFrames() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        ((PgBackendDecoder) channel.pipeline().first()).expectSslResponse();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'N', 'Z', 0, 0, 0, 5, 'I'}));
        assertThat((Object) channel.readInbound()).isEqualTo(new SslResponse(false));
        PgFrame ready = channel.readInbound();
        assertThat((char) ready.type()).isEqualTo('Z');
        ready.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void refusesPlaintextAfterAnSslYes() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        ((PgBackendDecoder) channel.pipeline().first()).expectSslResponse();
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S', 'R', 0, 0, 0, 8, 0, 0,
                0, 0}))).isInstanceOf(DecoderException.class).hasMessageContaining("unencrypted bytes");
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesAnUnexpectedSslAnswer() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1024, true));
        ((PgBackendDecoder) channel.pipeline().first()).expectSslResponse();
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'E'})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("unexpected answer to SSLRequest: 69");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** Counts the read() calls that get past the decoder towards the socket. */
    private static final class ReadCounter extends io.netty.channel.ChannelOutboundHandlerAdapter {
        int reads;

        @Override
        public void read(io.netty.channel.ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    private static final long DELAY = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(100);

    private static EmbeddedChannel delaying(ReadCounter counter, boolean coalesce) {
        EmbeddedChannel channel = new EmbeddedChannel(counter, new PgBackendDecoder(1 << 20, coalesce, DELAY, 2000));
        channel.config().setAutoRead(false); // reads only when asked, as on the upstream side
        channel.freezeTime();
        counter.reads = 0;
        return channel;
    }

    /** A read that did not fill its buffer: capacity above what was written. */
    private static ByteBuf read(byte[]... messages) {
        ByteBuf buf = Unpooled.buffer(64 * 1024);
        for (byte[] each : messages) {
            buf.writeBytes(each);
        }
        return buf;
    }

    private static void releaseInbound(EmbeddedChannel channel) {
        for (Object each; (each = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(each);
        }
    }

    @Test
    void delaysTheNextReadOnlyInTheMiddleOfALargeResult() {
        ReadCounter counter = new ReadCounter();
        EmbeddedChannel channel = delaying(counter, true); // large: from 2000 bytes of consecutive rows
        byte[] row = dataRow(1000, 1); // 1011 bytes
        // a row and part of the next: more must come, but the result is still small: read at once
        channel.writeInbound(read(row, Arrays.copyOf(row, 400)));
        channel.read();
        assertThat(counter.reads).isEqualTo(1);
        // the rest of that row and one more: 3033 bytes of rows, the last complete message a row: the read waits
        channel.writeInbound(read(Arrays.copyOfRange(row, 400, row.length), row));
        channel.read();
        assertThat(counter.reads).isEqualTo(1);
        channel.advanceTimeBy(DELAY, java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(counter.reads).isEqualTo(2);
        // rows and a row cut by the end of the read: waits, once however often it is asked, and not less long
        channel.writeInbound(read(row, row, Arrays.copyOf(row, 400)));
        channel.read();
        channel.read();
        assertThat(counter.reads).isEqualTo(2);
        channel.advanceTimeBy(DELAY - 1, java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(counter.reads).isEqualTo(2);
        channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(counter.reads).isEqualTo(3);
        // the result ends (CommandComplete, ReadyForQuery): nothing waits
        channel.writeInbound(read(Arrays.copyOfRange(row, 400, row.length), text('C', "SELECT 5"),
                message('Z', new byte[] {'I'})));
        channel.read();
        assertThat(counter.reads).isEqualTo(4);
        // the next result starts small again
        channel.writeInbound(read(row, Arrays.copyOf(row, 400)));
        channel.read();
        assertThat(counter.reads).isEqualTo(5);
        // rows past the threshold, then a read that ends with the header of a non-row message: no wait
        channel.writeInbound(read(Arrays.copyOfRange(row, 400, row.length), row, row, new byte[] {'C', 0, 0}));
        channel.read();
        assertThat(counter.reads).isEqualTo(6);
        releaseInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void readsAtOnceAfterAFullBufferWithoutCoalescingOrWithoutDelay() {
        byte[] row = dataRow(1000, 1);
        ReadCounter counter = new ReadCounter();
        EmbeddedChannel channel = delaying(counter, true);
        ByteBuf full = Unpooled.buffer(row.length * 3 + 100, row.length * 3 + 100);
        full.writeBytes(row).writeBytes(row).writeBytes(row).writeBytes(row, 0, 100); // filled: more is probably waiting
        channel.writeInbound(full);
        channel.read();
        assertThat(counter.reads).isEqualTo(1);
        releaseInbound(channel);
        channel.finishAndReleaseAll();

        ReadCounter framingCounter = new ReadCounter();
        EmbeddedChannel framing = delaying(framingCounter, false); // result capture reads the rows: never waits
        framing.writeInbound(read(row, row, row, Arrays.copyOf(row, 10)));
        framing.read();
        assertThat(framingCounter.reads).isEqualTo(1);
        releaseInbound(framing);
        framing.finishAndReleaseAll();

        ReadCounter noDelayCounter = new ReadCounter();
        EmbeddedChannel noDelay = new EmbeddedChannel(noDelayCounter, new PgBackendDecoder(1 << 20, true, 0, 0));
        noDelay.config().setAutoRead(false);
        noDelayCounter.reads = 0;
        noDelay.writeInbound(read(row, row, row, Arrays.copyOf(row, 10)));
        noDelay.read();
        assertThat(noDelayCounter.reads).isEqualTo(1);
        releaseInbound(noDelay);
        noDelay.finishAndReleaseAll();
    }

    @Test
    void releasesAnIncompleteMessageWhenTheChannelCloses() {
        EmbeddedChannel channel = new EmbeddedChannel(new PgBackendDecoder(1 << 20, true));
        PgBackendDecoder decoder = (PgBackendDecoder) channel.pipeline().first();
        byte[] row = dataRow(5000, 3);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(row, 3000)));
        assertThat(decoder.bufferedBytes()).isEqualTo(3000);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
        assertThat(decoder.bufferedBytes()).isZero();
    }
}
