package dev.dbbat.protocol.pg.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits COPY OUT data (text or CSV) into rows, best effort: chunks may end mid-line, so the unfinished tail is kept
 * (bounded by the capture byte limit). Single-threaded.
 */
final class CopyCapture {
    private final boolean csv;
    private final StringBuilder pending = new StringBuilder();

    CopyCapture(boolean csv) {
        this.csv = csv;
    }

    /** Adds a chunk and returns the complete rows it finished. */
    List<List<String>> add(String chunk) {
        pending.append(chunk);
        List<List<String>> rows = new ArrayList<>();
        int start = 0;
        int newline;
        while ((newline = lineEnd(start)) >= 0) {
            String line = pending.substring(start, newline);
            start = newline + 1;
            if (!line.isEmpty() && !line.equals("\\.")) {
                rows.add(csv ? csvFields(line) : textFields(line));
            }
        }
        pending.delete(0, start);
        return rows;
    }

    int pendingLength() {
        return pending.length();
    }

    private int lineEnd(int from) {
        if (!csv) {
            return pending.indexOf("\n", from);
        }
        boolean quoted = false;
        for (int i = from; i < pending.length(); i++) {
            char each = pending.charAt(i);
            if (each == '"') {
                quoted = !quoted;
            } else if (each == '\n' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    static List<String> textFields(String line) {
        List<String> result = new ArrayList<>();
        for (String each : line.split("\t", -1)) {
            result.add(each.equals("\\N") ? null : unescape(each));
        }
        return result;
    }

    private static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder result = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char each = value.charAt(i);
            if (each != '\\' || i + 1 == value.length()) {
                result.append(each);
                continue;
            }
            char next = value.charAt(++i);
            result.append(switch (next) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> next;
            });
        }
        return result.toString();
    }

    static List<String> csvFields(String line) {
        List<String> result = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char each = line.charAt(i);
            if (quoted) {
                if (each == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (each == '"') {
                    quoted = false;
                } else {
                    field.append(each);
                }
            } else if (each == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (each == ',') {
                result.add(field.length() == 0 && !wasQuoted ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (each != '\r') {
                field.append(each);
            }
        }
        result.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        return result;
    }
}
