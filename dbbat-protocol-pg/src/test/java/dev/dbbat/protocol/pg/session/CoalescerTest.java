package dev.dbbat.protocol.pg.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Coalescer out = new Coalescer(channel);
    private final ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(64)
            .writeBytes("BindExecSyncMore".getBytes(StandardCharsets.US_ASCII));

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
