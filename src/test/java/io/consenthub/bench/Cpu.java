package io.consenthub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM and by the local PostgreSQL server's processes, for a benchmark
 * to say where an operation's time goes on a machine where both share the same cores. The server's
 * figure counts every session, so other work on the server at the time is in it too.
 */
final class Cpu {

    /** Clock ticks per second of /proc/[pid]/stat, 100 on Linux. */
    private static final double TICKS = 100;

    private Cpu() {
    }

    static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * User and system time of every process named {@code postgres}, ended sessions included (their
     * time is the server's children's time); 0 where /proc cannot be read.
     */
    static long postgresNanos() {
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    // own time, and (for the postmaster) that of its ended sessions, so the sum never falls
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return (long) (ticks / TICKS * 1e9);
    }
}
