package dev.dbbat.bench.jmh;

import dev.dbbat.protocol.pg.codec.PgBackendDecoder;
import dev.dbbat.protocol.pg.codec.PgFrameDecoder;
import dev.dbbat.protocol.pg.internal.ByteBufs;
import dev.dbbat.protocol.pg.message.Bind;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.RowDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds per message for the PostgreSQL codec: framing a read of {@value #FRAMES} back-to-back messages with
 * {@link PgFrameDecoder} (as one socket read delivers them), and decoding the messages the relay decodes on its hot
 * path (Query text, Bind, RowDescription).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    static final int FRAMES = 64;
    private static final String SQL = "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;";

    private EmbeddedChannel channel;
    private EmbeddedChannel backend;
    private EmbeddedChannel backendRuns;
    private ByteBuf dataRows;
    private ByteBuf queries;
    private ByteBuf queryBody;
    private ByteBuf bindBody;
    private ByteBuf rowDescriptionBody;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new PgFrameDecoder(PgFrameDecoder.Mode.TYPED, 10_000, 16 * 1024 * 1024));
        backend = new EmbeddedChannel(new PgBackendDecoder(16 * 1024 * 1024, false));
        backendRuns = new EmbeddedChannel(new PgBackendDecoder(16 * 1024 * 1024, true));
        dataRows = PooledByteBufAllocator.DEFAULT.directBuffer();
        queries = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < FRAMES; i++) {
            writeDataRow(dataRows);
            writeQuery(queries);
        }
        queryBody = body(queries);
        bindBody = PooledByteBufAllocator.DEFAULT.directBuffer();
        bindBody.writeBytes(new byte[] {0, 0}).writeShort(1).writeShort(0).writeShort(1);
        byte[] value = "48213".getBytes(StandardCharsets.US_ASCII);
        bindBody.writeInt(value.length).writeBytes(value).writeShort(1).writeShort(0);
        rowDescriptionBody = PooledByteBufAllocator.DEFAULT.directBuffer();
        rowDescriptionBody.writeShort(1);
        ByteBufs.writeCString(rowDescriptionBody, "abalance");
        rowDescriptionBody.writeInt(16397).writeShort(3).writeInt(23).writeShort(4).writeInt(-1).writeShort(0);
    }

    /** DataRow 'D' of pgbench -S: one int4 column as text. */
    private static void writeDataRow(ByteBuf out) {
        byte[] value = "-2712".getBytes(StandardCharsets.US_ASCII);
        out.writeByte('D').writeInt(4 + 2 + 4 + value.length).writeShort(1).writeInt(value.length).writeBytes(value);
    }

    private static void writeQuery(ByteBuf out) {
        byte[] sql = SQL.getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q').writeInt(4 + sql.length + 1).writeBytes(sql).writeByte(0);
    }

    private static ByteBuf body(ByteBuf frames) {
        int length = frames.getInt(1);
        return frames.retainedSlice(5, length - 4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        backendRuns.finishAndReleaseAll();
        dataRows.release();
        queries.release();
        queryBody.release();
        bindBody.release();
        rowDescriptionBody.release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void frameDataRows(Blackhole hole) {
        frame(dataRows, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void frameQueries(Blackhole hole) {
        frame(queries, hole);
    }

    /** The upstream side's decoder, one frame per message (result capture on). */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void frameDataRowsUpstream(Blackhole hole) {
        frame(backend, dataRows, hole);
    }

    /** The upstream side's decoder forwarding DataRows in runs (result capture off): one run per read. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void frameDataRowsUpstreamRuns(Blackhole hole) {
        frame(backendRuns, dataRows, hole);
    }

    private void frame(ByteBuf frames, Blackhole hole) {
        frame(channel, frames, hole);
    }

    private static void frame(EmbeddedChannel channel, ByteBuf frames, Blackhole hole) {
        channel.writeInbound(frames.retainedDuplicate());
        for (Object each; (each = channel.readInbound()) != null; ) {
            io.netty.buffer.ByteBufHolder message = (io.netty.buffer.ByteBufHolder) each;
            hole.consume(message);
            message.release();
        }
    }

    @Benchmark
    public String decodeQueryText() {
        return ByteBufs.readCString(queryBody.duplicate(), StandardCharsets.UTF_8);
    }

    @Benchmark
    public Bind decodeBind() {
        return Bind.decode(bindBody, StandardCharsets.UTF_8);
    }

    @Benchmark
    public RowDescription decodeRowDescription() {
        return RowDescription.decode(rowDescriptionBody, StandardCharsets.UTF_8);
    }
}
