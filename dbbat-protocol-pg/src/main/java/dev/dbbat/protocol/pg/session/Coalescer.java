package dev.dbbat.protocol.pg.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.Channel;

/**
 * The relay's writes to one channel. Forwarded messages that lie back to back in one read buffer (a client's Bind,
 * Execute and Sync; a server's BindComplete, rows, CommandComplete and ReadyForQuery) are merged into one write of
 * one slice instead of one write each: every write costs an outbound-buffer entry, an I/O vector and its own release
 * after the send, per message. Anything else written goes after what is pending, so the order on the wire is the order
 * of the calls.
 *
 * <p>Pending bytes stay readable because the first merged piece keeps its retain on the read buffer until they are
 * written (which also keeps Netty's cumulation from compacting that buffer); the merged write then holds its own
 * retain, and the first piece goes at once, or after the write when leak detection tracks the read buffer.
 * Single-threaded: the session's event loop.
 */
final class Coalescer {
    private final Channel channel;
    /** The first pending piece (owned), or null. */
    private ByteBuf first;
    /** The read buffer the pending bytes are in, when they can be extended; else null. */
    private ByteBuf root;
    private int start;
    private int length;
    private int pieces;

    Coalescer(Channel channel) {
        this.channel = channel;
    }

    /** Forwards {@code content} (taking ownership), merged with the pending bytes when it directly follows them. */
    void forward(ByteBuf content) {
        if (follows(content, content.readerIndex())) {
            length += content.readableBytes();
            pieces++;
            content.release(); // the first piece's retain keeps the read buffer
            return;
        }
        pend(content);
    }

    /**
     * Forwards {@code length} bytes of {@code buf} from {@code index} ({@code buf} stays the caller's): merged with
     * the pending bytes when they directly follow them, which costs no slice; else a slice of them is kept.
     */
    void forward(ByteBuf buf, int index, int length) {
        if (follows(buf, index)) {
            this.length += length;
            pieces++;
            return;
        }
        pend(buf.retainedSlice(index, length));
    }

    /** Whether the byte at {@code index} of {@code buf} is the one right after the pending bytes, in one read buffer. */
    private boolean follows(ByteBuf buf, int index) {
        return first != null && root != null && buf.hasMemoryAddress() && rootOf(buf) == root
                && indexIn(root, buf, index) == start + length;
    }

    /** Writes what is pending, then keeps {@code content} (owned) pending, extensible if it is a view. */
    private void pend(ByteBuf content) {
        drain();
        first = content;
        pieces = 1;
        length = content.readableBytes();
        root = null;
        start = 0;
        ByteBuf parent = rootOf(content);
        if (parent != content && parent.hasMemoryAddress() && content.hasMemoryAddress()) {
            int index = indexIn(parent, content, content.readerIndex());
            if (index >= 0 && index + length <= parent.capacity()) {
                root = parent;
                start = index;
            }
        }
    }

    /** Writes {@code message} (ownership passes here) after the pending bytes. */
    void write(ByteBuf message) {
        drain();
        channel.write(message, channel.voidPromise());
    }

    /** Writes the pending bytes, if any (not flushed). */
    void drain() {
        if (first == null) {
            return;
        }
        ByteBuf piece = first;
        first = null;
        ByteBuf pendingRoot = root;
        root = null;
        if (pieces == 1) {
            // nobody waits on a forwarded write: a failed write ends the session through exceptionCaught
            channel.write(piece, channel.voidPromise());
            return;
        }
        // one view of the merged bytes, which holds the read buffer
        ByteBuf merged = pendingRoot.retainedSlice(start, length);
        if (!(piece instanceof WrappedByteBuf)) {
            piece.release(); // the merged view holds the read buffer: the first piece can go now
            channel.write(merged, channel.voidPromise());
            return;
        }
        // the first piece is a leak-detection wrapper (derived from a tracked read buffer, whose wrapper is not on its
        // unwrap() chain): it is released once the write is done, so that the tracked buffer's own wrapper sees its
        // last release and no leak is reported
        channel.write(merged).addListener(written -> {
            piece.release();
            if (!written.isSuccess()) {
                channel.pipeline().fireExceptionCaught(written.cause());
            }
        });
    }

    /** Writes the pending bytes and flushes the channel. */
    void flush() {
        drain();
        channel.flush();
    }

    /** The buffer {@code buf} is a view of (through slices and leak-detection wrappers), or {@code buf} itself. */
    private static ByteBuf rootOf(ByteBuf buf) {
        ByteBuf result = buf;
        for (ByteBuf next; (next = result.unwrap()) != null; ) {
            result = next;
        }
        return result;
    }

    /** Where the byte at {@code index} of {@code piece} lies in {@code root}, a buffer it is a view of. */
    private static int indexIn(ByteBuf root, ByteBuf piece, int index) {
        long offset = piece.memoryAddress() + index - root.memoryAddress();
        return offset < 0 || offset > Integer.MAX_VALUE ? -1 : (int) offset;
    }
}
