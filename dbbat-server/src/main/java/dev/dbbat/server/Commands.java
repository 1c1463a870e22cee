package dev.dbbat.server;

import dev.dbbat.server.config.ServerConfig;
import java.io.PrintStream;

/** The one-shot subcommands {@code db migrate} and {@code db status}. */
final class Commands {
    private Commands() {}

    static int migrate(ServerConfig config, PrintStream out) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            StoreBootstrap.Opened opened = StoreBootstrap.open(config, lifecycle);
            int applied = opened.store().migrate();
            out.println(applied == 0 ? "store schema is up to date" : applied + " migration(s) applied");
            return 0;
        } finally {
            lifecycle.stopAll();
        }
    }

    static int status(ServerConfig config, PrintStream out) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            StoreBootstrap.Opened opened = StoreBootstrap.open(config, lifecycle);
            opened.store().migrationStatus().forEach(out::println);
            return 0;
        } finally {
            lifecycle.stopAll();
        }
    }
}
