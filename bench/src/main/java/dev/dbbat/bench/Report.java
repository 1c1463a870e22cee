package dev.dbbat.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown report and its JSON twin, filled section by section. Single-threaded. */
final class Report {
    private final StringBuilder markdown = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String[]> targets = new java.util.ArrayList<>();

    void header(int rounds, int seconds, Map<String, String> options, List<String> dbbatJvmArgs) {
        markdown.append("# DBBat benchmark, ").append(LocalDate.now()).append("\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(", load average at start ")
                .append(loadAverage()).append(". Upstream: PostgreSQL 17 (zonky binaries), loopback, SCRAM, ")
                .append("fsync off. pgbouncer 1.18 (Debian) in session mode. DBBat (`dbbat.jar`, `-Xmx512m`")
                .append(dbbatJvmArgs.isEmpty() ? "" : " " + String.join(" ", dbbatJvmArgs))
                .append("), its store on the same PostgreSQL: `dbbat-log` = statement logging on, result capture ")
                .append("off; `dbbat-capture` = statement logging and result capture on.\n\n")
                .append("Every figure of a section is measured in the same run, targets interleaved in a shuffled ")
                .append("order each round; each figure is the median of ").append(rounds).append(" rounds of ")
                .append(seconds).append(" s unless the section says otherwise. Ratios are against the direct ")
                .append("connection, and against pgbouncer where it says so.\n\n");
        json.put("date", LocalDate.now().toString());
        json.put("started_at", Instant.now().toString());
        json.put("load_average_start", loadAverage());
        json.put("rounds", rounds);
        json.put("seconds", seconds);
        json.put("options", options);
        json.put("dbbat_jvm_args", dbbatJvmArgs);
    }

    /** Records a target of the issue: what, the figure measured, and whether it is met. */
    void target(String what, String figure, boolean met) {
        targets.add(new String[] {what, figure, met ? "met" : "**missed**"});
    }

    void footer() {
        if (!targets.isEmpty()) {
            markdown.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
            List<Map<String, Object>> list = new java.util.ArrayList<>();
            for (String[] each : targets) {
                markdown.append("| ").append(each[0]).append(" | ").append(each[1]).append(" | ").append(each[2])
                        .append(" |\n");
                list.add(Map.of("target", each[0], "measured", each[1], "met", each[2].equals("met")));
            }
            json.put("targets", list);
        }
        markdown.append("\n---\nLoad average at the end: ").append(loadAverage()).append(".\n");
        json.put("load_average_end", loadAverage());
        json.put("finished_at", Instant.now().toString());
    }

    Report heading(String text) {
        markdown.append("## ").append(text).append("\n\n");
        return this;
    }

    Report line(String format, Object... args) {
        markdown.append(String.format(format, args)).append('\n');
        return this;
    }

    Report blank() {
        markdown.append('\n');
        return this;
    }

    void put(String key, Object value) {
        json.put(key, value);
    }

    String markdown() {
        return markdown.toString();
    }

    Map<String, Object> json() {
        return json;
    }

    static String mb(long bytes) {
        return bytes < 0 ? "–" : Long.toString(bytes >> 20);
    }

    static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException ex) {
            return "unknown";
        }
    }
}
