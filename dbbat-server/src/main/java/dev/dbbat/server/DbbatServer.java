package dev.dbbat.server;

import dev.dbbat.server.cli.CommandLine;
import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.ConfigLoader;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.server.embedded.HomeInUseException;
import dev.dbbat.server.logging.Logging;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dbbat} command: {@code serve} (default), {@code db migrate}, {@code db status}, {@code version},
 * {@code --help}. Exit status: 0 success, 1 failure, 2 bad configuration (one line on stderr naming the variable).
 */
public final class DbbatServer {

    private DbbatServer() {}

    public static void main(String[] args) {
        NettyDefaults.apply();
        int status = run(args, System.getenv(), Path.of(System.getProperty("user.home")), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs one command. {@code serve} returns only after shutdown (SIGTERM or {@link Server#stop()}).
     *
     * @return the exit status
     */
    static int run(String[] args, Map<String, String> env, Path userHome, PrintStream out, PrintStream err) {
        CommandLine commandLine;
        ServerConfig config;
        try {
            commandLine = CommandLine.parse(args);
            if (commandLine.command() == CommandLine.Command.HELP) {
                out.print(CommandLine.usage());
                return 0;
            }
            if (commandLine.command() == CommandLine.Command.VERSION) {
                out.println(Version.current());
                return 0;
            }
            config = ConfigLoader.load(commandLine.flags(), env, userHome);
        } catch (ConfigException ex) {
            err.println("dbbat: " + ex.getMessage());
            return StartupException.CONFIG;
        }
        Logging.configure(config.logFormat(), config.logLevel());
        Logger log = LoggerFactory.getLogger(DbbatServer.class);
        config.warnings().forEach(warning -> log.warn("configuration: {}", warning));
        try {
            return switch (commandLine.command()) {
                case SERVE -> serve(config, log);
                case DB_MIGRATE -> Commands.migrate(config, out);
                case DB_STATUS -> Commands.status(config, out);
                default -> throw new IllegalStateException("unexpected command " + commandLine.command());
            };
        } catch (StartupException ex) {
            if (ex.exitCode() == StartupException.FAILURE && ex.getCause() != null) {
                log.error("start-up failed", ex.getCause());
            }
            err.println("dbbat: " + ex.getMessage());
            return ex.exitCode();
        } catch (ConfigException | HomeInUseException ex) {
            err.println("dbbat: " + ex.getMessage());
            return StartupException.CONFIG;
        } catch (RuntimeException ex) {
            log.error("start-up failed", ex);
            err.println("dbbat: start-up failed: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return StartupException.FAILURE;
        }
    }

    private static int serve(ServerConfig config, Logger log) {
        Server server = new Server(config);
        Thread hook = new Thread(server::stop, "dbbat-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (RuntimeException ex) {
            server.stop();
            removeHook(hook);
            throw ex;
        }
        server.awaitStop();
        log.debug("serve: main thread done");
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
    }
}
