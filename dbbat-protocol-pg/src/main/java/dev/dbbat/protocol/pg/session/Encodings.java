package dev.dbbat.protocol.pg.session;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Maps PostgreSQL {@code client_encoding} names to Java charsets (UTF-8 when unknown). Stateless. */
final class Encodings {
    private Encodings() {}

    static Charset charset(String encoding) {
        String name = encoding.toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
        try {
            return switch (name) {
                case "UTF8", "UNICODE" -> StandardCharsets.UTF_8;
                case "SQLASCII", "LATIN1" -> StandardCharsets.ISO_8859_1;
                case "LATIN9" -> Charset.forName("ISO-8859-15");
                case "WIN1252" -> Charset.forName("windows-1252");
                case "WIN1251" -> Charset.forName("windows-1251");
                case "EUCJP" -> Charset.forName("EUC-JP");
                case "SJIS" -> Charset.forName("Shift_JIS");
                case "GBK" -> Charset.forName("GBK");
                default -> StandardCharsets.UTF_8;
            };
        } catch (IllegalArgumentException ex) {
            return StandardCharsets.UTF_8;
        }
    }
}
