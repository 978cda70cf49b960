package caravan.ship.tail;

import org.apache.camel.Message;

/**
 * Did the destination take this line of a batch, although the batch's exchange failed? A route
 * sets one as the {@link TailConstants#LINE_ACKNOWLEDGEMENT} exchange property; the component
 * knows nothing of where its lines go.
 */
@FunctionalInterface
public interface LineAcknowledgement {
    boolean acknowledged(Message line);
}
