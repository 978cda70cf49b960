package caravan.devstack;

/** A server of the devstack did not start or stop; the message carries the end of its log. */
public final class DevStackException extends RuntimeException {
  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
