package dev.dbbat.server.cli;

import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parsed command line: a subcommand ({@code serve} by default, {@code db migrate}, {@code db status},
 * {@code version}, {@code help}) and configuration flags, which may come before or after the subcommand.
 *
 * @param command what to do
 * @param flags configuration flags, in the order given
 */
public record CommandLine(Command command, List<Flag.Value> flags) {

    /** The subcommands. */
    public enum Command {
        SERVE,
        DB_MIGRATE,
        DB_STATUS,
        VERSION,
        HELP
    }

    public CommandLine {
        Objects.requireNonNull(command, "command");
        flags = List.copyOf(flags);
    }

    /**
     * Parses {@code args}.
     *
     * @throws ConfigException naming the offending argument
     */
    public static CommandLine parse(String... args) {
        List<String> words = new ArrayList<>();
        List<Flag.Value> flags = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--version")) {
                words.add("version");
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            String flagName = name;
            Flag flag = Flag.named(name).orElseThrow(() -> new ConfigException(flagName,
                    "unknown flag " + flagName + " (see dbbat --help)"));
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(name, "flag " + name + " needs a value");
                }
                value = args[++i];
            }
            flags.add(new Flag.Value(name, flag.variable(), value));
        }
        if (help) {
            return new CommandLine(Command.HELP, flags);
        }
        return new CommandLine(command(words), flags);
    }

    private static Command command(List<String> words) {
        String joined = String.join(" ", words);
        return switch (joined) {
            case "", "serve" -> Command.SERVE;
            case "db migrate" -> Command.DB_MIGRATE;
            case "db status" -> Command.DB_STATUS;
            case "version" -> Command.VERSION;
            case "help" -> Command.HELP;
            default -> throw new ConfigException(joined, "unknown command '" + joined + "' (see dbbat --help)");
        };
    }

    /** The usage text printed by {@code --help}. */
    public static String usage() {
        StringBuilder result = new StringBuilder();
        result.append("Usage: dbbat [command] [flags]\n\n");
        result.append("Commands:\n");
        result.append("  serve        run the proxies and the REST API (default)\n");
        result.append("  db migrate   apply pending store migrations and exit\n");
        result.append("  db status    list the store migrations and their state\n");
        result.append("  version      print the version and exit\n\n");
        result.append("Flags (each overrides a DBB_* environment variable, which overrides the config file):\n");
        for (Flag each : Flag.values()) {
            String names = each.shortName().map(s -> s + ", ").orElse("    ") + each.longName() + " <value>";
            result.append(String.format("  %-28s %s (%s)%n", names, each.description(), each.variable()));
        }
        result.append(String.format("  %-28s %s%n", "-h, --help", "show this help"));
        return result.toString();
    }
}
