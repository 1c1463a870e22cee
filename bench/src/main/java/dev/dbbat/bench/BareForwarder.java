package dev.dbbat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A bare Netty TCP forwarder: one epoll loop, each client connection relayed byte for byte to the upstream on the same
 * loop, flushed once per read batch, nothing decoded. It is the floor of any Netty relay on the machine, for
 * profiling by hand beside {@code --hold} (bench/README.md finding 18):
 * {@code java -cp bench/target/dbbat-bench.jar dev.dbbat.bench.BareForwarder LISTEN_PORT UPSTREAM_PORT}, both on
 * 127.0.0.1, then pgbench through it as through pgbouncer.
 */
public final class BareForwarder {
    private BareForwarder() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: BareForwarder LISTEN_PORT UPSTREAM_PORT");
            System.exit(2);
        }
        int listen = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bare-forwarder"),
                EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline().addLast(new ClientSide(client, upstream));
                    }
                })
                .bind("127.0.0.1", listen).sync();
        System.out.println("bare forwarder: 127.0.0.1:" + listen + " -> 127.0.0.1:" + upstream);
        Thread.currentThread().join();
    }

    /** Forwards what {@code from} reads to {@code to}; closes {@code to} when {@code from} ends. */
    private static class Pipe extends ChannelInboundHandlerAdapter {
        Channel to;

        Pipe(Channel to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            to.write(message, to.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            to.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (to != null) {
                to.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client's side: connects upstream on the client's loop, then starts reading the client. */
    private static final class ClientSide extends Pipe {
        private final SocketChannel client;
        private final int upstream;

        ClientSide(SocketChannel client, int upstream) {
            super(null);
            this.client = client;
            this.upstream = upstream;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .handler(new Pipe(client))
                    .connect("127.0.0.1", upstream)
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            client.close();
                            return;
                        }
                        to = connected.channel();
                        client.config().setAutoRead(true);
                    });
        }
    }
}
