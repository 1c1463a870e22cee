package dev.dbbat.protocol.pg.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** PostgreSQL's MD5 password response: {@code "md5" + md5hex(md5hex(password + user) + salt)}. Stateless. */
public final class Md5Password {
    private Md5Password() {}

    public static String response(String user, String password, byte[] salt) {
        String inner = hex(md5(concat((password + user).getBytes(StandardCharsets.UTF_8), new byte[0])));
        return "md5" + hex(md5(concat(inner.getBytes(StandardCharsets.US_ASCII), salt)));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = new byte[first.length + second.length];
        System.arraycopy(first, 0, result, 0, first.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 unavailable", ex);
        }
    }

    private static String hex(byte[] data) {
        StringBuilder result = new StringBuilder(data.length * 2);
        for (byte each : data) {
            result.append(Character.forDigit((each >> 4) & 0xF, 16)).append(Character.forDigit(each & 0xF, 16));
        }
        return result.toString();
    }
}
