package dev.dbbat.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, commit and build time, from the filtered resource {@code dbbat-version.properties}.
 *
 * @param version the Maven project version
 * @param commit the git commit, or {@code unknown}
 * @param buildTime when the jar was built, or {@code unknown}
 */
public record Version(String version, String commit, String buildTime) {

    /** This build's version. */
    public static Version current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dbbat-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException ex) {
            // fall through to "unknown"
        }
        return new Version(value(properties, "version"), value(properties, "commit"), value(properties,
                "build.time"));
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").trim();
        return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
    }

    @Override
    public String toString() {
        return "dbbat " + version + " (commit " + commit + ", built " + buildTime + ")";
    }
}
