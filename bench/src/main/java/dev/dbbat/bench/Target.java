package dev.dbbat.bench;

/**
 * One thing a client can connect to: the upstream itself, pgbouncer, or a DBBat proxy.
 *
 * @param name short name used in the report
 * @param host host
 * @param port port
 * @param user user name the client logs in with
 * @param password its password
 * @param database database name the client asks for
 */
record Target(String name, String host, int port, String user, String password, String database) {

    String jdbcUrl(String extra) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=disable" + extra;
    }
}
