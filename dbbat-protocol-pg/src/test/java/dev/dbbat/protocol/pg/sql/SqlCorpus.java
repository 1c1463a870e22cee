package dev.dbbat.protocol.pg.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Loads the SQL test corpora under {@code src/test/resources/sql/}. */
final class SqlCorpus {

    /** One line of {@code readonly-corpus.txt}. */
    record Case(String expectation, String sql, int line) {
        @Override
        public String toString() {
            return expectation + " line " + line + ": " + sql.replace("\n", "\\n");
        }
    }

    private SqlCorpus() {}

    static List<Case> readOnlyCases() {
        List<Case> cases = new ArrayList<>();
        String[] lines = resource("readonly-corpus.txt").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int bar = line.indexOf('|');
            String sql = line.substring(bar + 1).replace("{NL}", "\n").replace("{TAB}", "\t");
            cases.add(new Case(line.substring(0, bar), sql, i + 1));
        }
        return cases;
    }

    /** Statements of a capture file, separated by lines holding only {@code ----}. */
    static List<String> statements(String name) {
        List<String> statements = new ArrayList<>();
        for (String each : resource(name).split("\n----\n")) {
            if (!each.isBlank()) {
                statements.add(each);
            }
        }
        return statements;
    }

    static String resource(String name) {
        try (InputStream in = SqlCorpus.class.getResourceAsStream("/sql/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
