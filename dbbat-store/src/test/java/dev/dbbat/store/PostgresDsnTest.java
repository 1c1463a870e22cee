package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresDsnTest {

    @Test
    void parsesUrlForm() {
        PostgresDsn dsn = PostgresDsn.parse("postgres://app:p%40ss@db.example.com:6543/dbbat?sslmode=require");

        assertThat(dsn.host()).isEqualTo("db.example.com");
        assertThat(dsn.port()).isEqualTo(6543);
        assertThat(dsn.database()).isEqualTo("dbbat");
        assertThat(dsn.user()).isEqualTo("app");
        assertThat(dsn.password()).isEqualTo("p@ss");
        assertThat(dsn.parameters()).containsEntry("sslmode", "require");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/dbbat?sslmode=require");
    }

    @Test
    void parsesKeyValueForm() {
        PostgresDsn dsn = PostgresDsn.parse("host=localhost port=5433 dbname=store user=u password='a b\\'c'");

        assertThat(dsn.port()).isEqualTo(5433);
        assertThat(dsn.database()).isEqualTo("store");
        assertThat(dsn.password()).isEqualTo("a b'c");
    }

    @Test
    void defaultsPortAndDatabase() {
        PostgresDsn dsn = PostgresDsn.parse("postgresql://bob@h");

        assertThat(dsn.port()).isEqualTo(5432);
        assertThat(dsn.database()).isEqualTo("bob");
    }

    @Test
    void treatsLoopbackSpellingsAsOneHost() {
        PostgresDsn dsn = PostgresDsn.parse("postgres://u@localhost/dbbat");

        assertThat(dsn.designates("127.0.0.1", 5432, "dbbat")).isTrue();
        assertThat(dsn.designates("::1", 5432, "dbbat")).isTrue();
        assertThat(dsn.designates("LOCALHOST", 5432, "dbbat")).isTrue();
        assertThat(dsn.designates("localhost", 5433, "dbbat")).isFalse();
        assertThat(dsn.designates("localhost", 5432, "other")).isFalse();
    }

    @Test
    void neverShowsThePassword() {
        PostgresDsn dsn = PostgresDsn.parse("postgres://u:hunter2@h/d");

        assertThat(dsn.toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> PostgresDsn.parse("postgres://u:hunter2@h:99999/d"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> PostgresDsn.parse("mysql://u@h/d")).isInstanceOf(IllegalArgumentException.class);
    }
}
