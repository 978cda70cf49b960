package caravan.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Free TCP ports on 127.0.0.1, picked at run time. */
final class Ports {
  /** Handed out by this JVM; Kafka and Elasticsearch pick theirs at the same moment in parallel threads. */
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  /**
   * {@code count} distinct free ports. All sockets stay open until every port is picked, so the same
   * port is not handed out twice; another process can still take one before the server binds it.
   */
  static synchronized int[] free(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket;
        do {
          socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
          sockets.add(socket);
        } while (!GIVEN.add(socket.getLocalPort()));
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing was listening on it yet
        }
      }
    }
  }
}
