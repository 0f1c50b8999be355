package io.consenthub.system;

import com.hazelcast.core.HazelcastInstance;
import io.consenthub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded default listens on loopback only: the Hazelcast member and the H2 {@code AUTO_SERVER}
 * port are read from the kernel's socket table ({@code /proc/net/tcp*}), so a socket bound to every
 * interface ({@code 0.0.0.0} / {@code ::}) fails the test whatever address the library announces.
 */
@HubTest
class ListeningAddressesTest {

    /** A file database of this run's own (the embedded default's AUTO_SERVER needs a file), never one a previous run left. */
    private static final String FILE = "target/listening-addresses/hub-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
    private static final String STORE = "jdbc:h2:file:./" + FILE + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> STORE);
    }

    private static final Path TCP4 = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    @Autowired
    HazelcastInstance hazelcast;
    @Autowired
    JdbcTemplate db;

    record Listening(InetAddress address, int port) {
    }

    @Test
    void theHazelcastMemberListensOnLoopbackOnly() throws IOException {
        assumeTrue(Files.isReadable(TCP4), "needs Linux's /proc/net/tcp");
        int port = hazelcast.getCluster().getLocalMember().getSocketAddress().getPort();

        assertThat(listeningOn(port)).isNotEmpty()
                .allSatisfy(socket -> assertThat(socket.address().isLoopbackAddress()).as(socket.toString()).isTrue());
    }

    @Test
    void theH2AutoServerPortListensOnLoopbackOnly() throws IOException {
        assumeTrue(Files.isReadable(TCP4), "needs Linux's /proc/net/tcp");
        db.queryForObject("select 1", Integer.class);
        var lock = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(FILE + ".lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        assertThat(server).as("the AUTO_SERVER address in the lock file").isNotNull();
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

        assertThat(InetAddress.getByName(server.substring(0, server.lastIndexOf(':'))).isLoopbackAddress())
                .as("announced address " + server).isTrue();
        assertThat(listeningOn(port)).isNotEmpty()
                .allSatisfy(socket -> assertThat(socket.address().isLoopbackAddress()).as(socket.toString()).isTrue());
    }

    private static List<Listening> listeningOn(int port) throws IOException {
        var found = new ArrayList<Listening>();
        for (Path table : List.of(TCP4, TCP6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            // one read: the table changes while other processes open and close sockets
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if ("0A".equals(f[3]) && Integer.parseInt(local[1], 16) == port) {
                    found.add(new Listening(address(local[0]), port));
                }
            }
        }
        return found;
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            byte[] w = new BigInteger("1" + hex.substring(word * 8, word * 8 + 8), 16).toByteArray();
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = w[w.length - 1 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
