package caravan.ship.tail;

import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;

/**
 * The ship route in a process of its own, for the crash test to kill: {@code tail:<glob>} into
 * {@code direct:ship} into Kafka. Arguments: bootstrap servers, topic, tail endpoint URI.
 */
public final class ShipChild {
    private ShipChild() {
    }

    public static void main(String[] args) throws Exception {
        CamelContext ctx = ShipRig.shipContext(args[0], args[1], args[2]);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ctx.stop(); // a polite stop (SIGTERM) writes the checkpoints; SIGKILL does not get here
            stopped.countDown();
        }));
        ctx.start();
        System.out.println("SHIP-CHILD-READY");
        System.out.flush();
        stopped.await();
    }
}
