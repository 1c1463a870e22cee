package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgbench (Debian postgresql-15) through the proxy: initialisation with COPY, then select-only runs. */
class PgbenchIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17());
        Cli.Result init = Cli.finish(Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                List.of("/usr/bin/pgbench", "-i", "-s", "1", "main")), 120);
        assertThat(init.exitCode()).as(init.output()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void runsSelectOnlyWithPreparedStatements() throws Exception {
        assertRuns("prepared");
    }

    @Test
    void runsSelectOnlyWithSimpleQueries() throws Exception {
        assertRuns("simple");
    }

    private static void assertRuns(String mode) throws Exception {
        Cli.Result run = Cli.finish(Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                List.of("/usr/bin/pgbench", "-S", "-T", "3", "-c", "2", "-j", "1", "-M", mode, "main")), 60);
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(run.output());
        assertThat(tps.find()).as(run.output()).isTrue();
        assertThat(Double.parseDouble(tps.group(1))).isPositive();
        System.out.println("pgbench -S -M " + mode + " through the proxy: " + tps.group(0));
        assertThat(run.output()).doesNotContain("error");
        assertThat(run.output()).contains("number of failed transactions: 0");
    }
}
