package dev.dbbat.core.event;

import java.util.Objects;

/**
 * COPY metadata of a statement ({@code queries.copy_direction} and {@code copy_format}).
 *
 * @param direction {@code in} (client to server) or {@code out}
 * @param format {@code text}, {@code csv} or {@code binary}
 */
public record CopyInfo(String direction, String format) {
    public CopyInfo {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(format, "format");
    }
}
