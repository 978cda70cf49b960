package caravan.ship.tail;

/** Where a {@link Tailer}'s events go. {@link TailEvent#done} must be called exactly once per event, on any thread. */
interface TailSink {
    void send(TailEvent event);

    /**
     * Called on the reader thread after each file's turn: a sink that gathers events into
     * batches sends what it holds now, so no event waits for more lines that may never come.
     */
    default void flush() {
    }
}
