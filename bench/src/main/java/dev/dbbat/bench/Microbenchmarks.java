package dev.dbbat.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of {@code dev.dbbat.bench.jmh} (codec, SQL classifier) and adds them to the report. */
final class Microbenchmarks {
    private Microbenchmarks() {}

    static void run(Report report, boolean quick) throws RunnerException {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include("dev\\.dbbat\\.bench\\.jmh\\..*")
                .forks(1)
                .jvmArgsAppend("-Xmx512m");
        if (quick) {
            builder.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(builder.build()).run();
        report.heading("6. Micro-benchmarks (JMH, average time, 1 fork" + (quick ? ", quick" : ", 3×1 s warm-up, 5×1 s")
                + ")");
        report.line("| benchmark | parameters | ns/op | ± (99.9%%) |").line("|---|---|---|---|");
        List<Map<String, Object>> json = new ArrayList<>();
        for (RunResult each : results) {
            String name = each.getParams().getBenchmark().replace("dev.dbbat.bench.jmh.", "");
            StringBuilder params = new StringBuilder();
            for (String key : each.getParams().getParamsKeys()) {
                params.append(key).append('=').append(each.getParams().getParam(key)).append(' ');
            }
            double score = each.getPrimaryResult().getScore();
            double error = each.getPrimaryResult().getScoreError();
            report.line("| %s | %s | %.1f | %.1f |", name, params.toString().trim(), score, error);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("benchmark", name);
            entry.put("params", params.toString().trim());
            entry.put("ns_per_op", score);
            entry.put("error", error);
            json.add(entry);
        }
        report.line("").line("`CodecBenchmark.frame*` is ns per message: one read of %d back-to-back frames through "
                + "`PgFrameDecoder` (the frames are retained slices, not copies). `decode*` is one message body. "
                + "`ClassifierBenchmark` is ns per statement for the SQL policy: `check` under a read-only grant, "
                + "`checkFullAccess` under a grant without controls (only password changes refused).",
                64).blank();
        report.put("jmh", json);
    }
}
