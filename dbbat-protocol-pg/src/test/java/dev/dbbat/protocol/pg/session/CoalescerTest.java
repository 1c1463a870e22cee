package dev.dbbat.protocol.pg.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoalescerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Coalescer out = new Coalescer(channel);
    private final ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(64)
            .writeBytes("BindExecSyncMore".getBytes(StandardCharsets.US_ASCII));

    /** A read buffer allocated with leak detection on ({@code tracked}: a wrapper that must see the last release). */
    private static ByteBuf readBuffer(boolean tracked) {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(
                tracked ? ResourceLeakDetector.Level.PARANOID : ResourceLeakDetector.Level.DISABLED);
        try {
            return PooledByteBufAllocator.DEFAULT.directBuffer(64)
                    .writeBytes("BindExecSyncMore".getBytes(StandardCharsets.US_ASCII));
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        read.release();
        assertThat(read.refCnt()).isZero(); // every slice the test or the coalescer took was released
    }

    @Test
    void mergesMessagesThatFollowEachOtherInOneReadBuffer() {
        out.forward(read.retainedSlice(0, 4));
        out.forward(read.retainedSlice(4, 4));
        out.forward(read.retainedSlice(8, 4));
        out.flush();
        assertThat(writes()).containsExactly("BindExecSync");
    }

    @Test
    void aGapOrAnotherBufferStartsANewWrite() {
        ByteBuf other = Unpooled.directBuffer(8).writeBytes("Zz".getBytes(StandardCharsets.US_ASCII));
        out.forward(read.retainedSlice(0, 4));
        out.forward(read.retainedSlice(8, 4)); // skips "Exec": not adjacent
        out.forward(other); // a buffer of its own (not a slice)
        out.forward(read.retainedSlice(12, 4));
        out.flush();
        assertThat(writes()).containsExactly("Bind", "Sync", "Zz", "More");
    }

    @Test
    void writesOfItsOwnGoAfterWhatIsPending() {
        out.forward(read.retainedSlice(0, 4));
        out.forward(read.retainedSlice(4, 4));
        out.write(Unpooled.copiedBuffer("Err", StandardCharsets.US_ASCII));
        out.forward(read.retainedSlice(8, 4));
        out.flush();
        assertThat(writes()).containsExactly("BindExec", "Err", "Sync");
    }

    @Test
    void rangesOfAViewMergeWithoutASliceEachAndStayValidAfterTheViewIsReleased() {
        ByteBuf view = read.retainedSlice(0, 16); // as a decoder passes a read on: a retained view of it
        out.forward(view, 0, 4);
        out.forward(view, 4, 4);
        out.forward(view, 12, 4); // skips "Sync": a new piece
        view.release(); // the caller's view goes; the pending pieces keep the read buffer
        out.write(Unpooled.copiedBuffer("Err", StandardCharsets.US_ASCII));
        out.forward(read.retainedSlice(8, 4));
        out.flush();
        assertThat(writes()).containsExactly("BindExec", "More", "Err", "Sync");
    }

    @ParameterizedTest(name = "leak detection tracking the read buffer: {0}")
    @ValueSource(booleans = {false, true})
    void aMergedWriteHoldsTheReadBufferItselfAndTheFirstPieceGoesAtOnceUnlessTracked(boolean tracked) {
        ByteBuf buffer = readBuffer(tracked);
        assertThat(buffer instanceof WrappedByteBuf).isEqualTo(tracked);
        out.forward(buffer.retainedSlice(0, 4));
        out.forward(buffer.retainedSlice(4, 4));
        out.drain();
        // the buffer's own reference and the merged write's; a tracked first piece also waits for the write
        assertThat(buffer.refCnt()).isEqualTo(tracked ? 3 : 2);
        out.forward(buffer.retainedSlice(8, 4));
        out.forward(buffer.retainedSlice(12, 4));
        out.flush();
        assertThat(writes()).containsExactly("BindExec", "SyncMore");
        assertThat(buffer.refCnt()).isEqualTo(1);
        buffer.release();
        assertThat(buffer.refCnt()).isZero();
    }

    @Test
    void heapSlicesAreWrittenOneByOne() {
        ByteBuf heap = Unpooled.buffer(16).writeBytes("abcdef".getBytes(StandardCharsets.US_ASCII));
        out.forward(heap.retainedSlice(0, 3));
        out.forward(heap.retainedSlice(3, 3));
        out.flush();
        assertThat(writes()).containsExactly("abc", "def");
        heap.release();
        assertThat(heap.refCnt()).isZero();
    }

    private List<String> writes() {
        List<String> result = new ArrayList<>();
        for (Object each; (each = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) each;
            result.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return result;
    }
}
