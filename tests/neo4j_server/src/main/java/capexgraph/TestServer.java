package capexgraph;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Neo4j 5.26 in-process for the Python tests: loopback only, free ports, authentication on.
 *
 * <p>Usage: {@code java -Xmx512m -cp ... capexgraph.TestServer WORKDIR [STORE_DIR]}, with the
 * password of user {@code neo4j} in $NEO4J_TEST_PASSWORD (kept off the command line). With
 * STORE_DIR (a folder holding {@code data/databases/neo4j} and {@code data/transactions/neo4j},
 * e.g. written by {@code neo4j-admin database import full}), that store is copied in and served;
 * $NEO4J_TEST_IMPORT_DIR, when set, is the folder LOAD CSV reads {@code file:///} URLs from.
 * When ready it prints one line {@code NEO4J_READY <bolt uri> <http uri>}; it stops cleanly when
 * its standard input closes or on SIGTERM.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TestServer WORKDIR [STORE_DIR]");
            System.exit(2);
        }
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("set NEO4J_TEST_PASSWORD (at least 8 characters)");
            System.exit(2);
        }
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(Path.of(args[0]))
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(HttpConnector.enabled, true)
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024)
                // A test server has no clients left to drain at shutdown: Bolt's default graceful
                // quiet period made every stop take 10 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2));
        if (args.length > 1) {
            builder = builder.copyFrom(Path.of(args[1]));
        }
        String importDir = System.getenv("NEO4J_TEST_IMPORT_DIR");
        if (importDir != null) {
            // Where LOAD CSV's file:/// URLs point, like a server's import/ folder.
            builder = builder.withConfig(GraphDatabaseSettings.load_csv_file_url_root, Path.of(importDir));
        }
        Neo4j neo4j = builder.build();
        AtomicBoolean closed = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                neo4j.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-stop"));
        neo4j.databaseManagementService().database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        System.out.println("NEO4J_READY " + neo4j.boltURI() + " " + neo4j.httpURI());
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for the parent to close our standard input.
        }
        stop.run();
        System.exit(0);
    }
}
