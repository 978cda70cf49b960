/**
 * The {@code tail:} Camel component: follows log files into a route without losing or repeating a
 * line, through rotation, restarts and crashes. A standalone component: it imports only the
 * ground floor, and nothing of the route its lines go to.
 *
 * <pre>{@code
 * from("tail:/var/log/apache2/access*.log?format=combined&service=web").to("direct:ship");
 * }</pre>
 * <pre>
 * - route:
 *     id: apache-access
 *     from:
 *       uri: "tail:/var/log/apache2/access*.log"
 *       parameters: {format: combined, service: web}
 *       steps:
 *         - to: "direct:ship"
 * </pre>
 *
 * <h2>What a route receives</h2>
 * By default, one exchange per line (or per joined multiline event): the body is the line as a String
 * (UTF-8; invalid bytes become U+FFFD; the newline and a trailing CR are removed), with the headers
 * of {@link caravan.ship.tail.TailConstants}: {@code CaravanFilePath} (the path the file was first seen
 * at), {@code CaravanOffset} (byte offset of the event's first byte), {@code CaravanFileId} (the
 * file identity), {@code CaravanFormat}, {@code CaravanService}, {@code CaravanDataset},
 * {@code CaravanHost}, {@code CaravanSource} (the route id) and, only for a line cut at
 * maxLineBytes, {@code CaravanTruncated=true} (shipped as {@code log.flags: ["truncated"]}).
 *
 * <h2>Batches of lines (maxBatchLines)</h2>
 * With {@code maxBatchLines=N} above 1, an exchange carries up to N consecutive lines (or events)
 * of one file: its body is a {@code List} of {@link org.apache.camel.Message}s
 * ({@link caravan.ship.tail.TailLine}s), one per line in file order, each with the line as its
 * String body and its own {@code CaravanOffset} (and {@code CaravanTruncated}), made when a step
 * reads its headers; the file's headers ({@code CaravanFilePath}, {@code CaravanFileId},
 * {@code CaravanFormat} and the rest) are on the exchange. A batch goes out when it is full, when a
 * line of another file comes, and at the end of every read of a file, so no line waits for lines
 * that are not written yet. The ship route turns every element into its envelope and puts up to
 * {@code caravan.ship.kafka.lines-per-record} of them in one Kafka record, with the file's key: the
 * same envelopes, in the same order, at a fraction of the CPU per line (BENCHMARKS.md, "Shipping"
 * and "Several lines to a record").
 *
 * <p>The exchange is no longer a line, so steps written for a line (a filter on the body, a
 * setHeader per line, a body transform) do not apply to it. So without maxBatchLines the route
 * decides: a route whose only step sends to a target that takes batches (the ship route registers
 * {@code direct:ship}, {@link TailComponent#addBatchTarget}) gets up to the component's batchLines
 * (500), or at most a tenth of a second's permits when that target's route is throttled (each
 * target declares its own throttle, so two ship routes do not share a cap); a route with any other
 * step gets one line per exchange. Camel's per-route meters
 * ({@code camel_exchanges_total}) count batches; Caravan's tail meters count lines.
 *
 * <p>Every line is still its own event for the checkpoint. When the exchange succeeds, all its
 * lines count as delivered; when it fails, only those the destination acknowledged anyway do, as
 * the route's {@link caravan.ship.tail.LineAcknowledgement} (the exchange property
 * {@link caravan.ship.tail.TailConstants#LINE_ACKNOWLEDGEMENT}) answers them (the ship route's
 * envelope step sets one that reads camel-kafka's metadata on the record each line went in), and the file is read again from the first line
 * Kafka does not have, skipping the acknowledged ones after it. A crash repeats at most what it repeats without
 * batches: the lines in flight and those acknowledged after the last checkpoint write.
 *
 * <h2>Delivery guarantee</h2>
 * The consumer hands exchanges to the route asynchronously, up to maxInflight events (and
 * maxInflightBytes) at a time, and learns each outcome from the exchange's completion. In the ship
 * route that completion happens in the Kafka producer's send callback, after acks=all from an
 * idempotent producer. A file's checkpoint is the end of the longest contiguous prefix of
 * successfully completed events, written to disk every checkpointInterval and on stop. So a crash
 * (kill -9, power loss) loses nothing, and repeats at most what Kafka acknowledged after the last
 * checkpoint write plus what was in flight. The document id hash(host, file id, offset) makes those
 * repeats idempotent in Elasticsearch.
 *
 * <p>A failed exchange stops its file: the others in flight finish, then the file is read again
 * from its checkpoint after a backoff (retryDelay, doubling up to retryMaxDelay); events that Kafka
 * acknowledged after the failed one are not sent again. When Kafka is slow or down, the window
 * fills and reading pauses: memory stays bounded and nothing is dropped.
 *
 * <h2>File identity</h2>
 * A file is identified by its content, with its device and inode as a tie-breaker: the hash of its
 * first fingerprintBytes bytes (the <i>head</i>), and the hash of the 64 bytes before the position
 * to resume at (the <i>anchor</i>). Device and inode alone are reused after delete and create, and
 * cannot tell a file truncated and rewritten while Caravan was down (resuming there would skip the
 * start of the new content, as Filebeat does under copytruncate and restart). A head alone confuses
 * files that begin alike, and a copytruncate copy with its original. The anchor proves that the
 * bytes already shipped are still there before resuming after them. Two cases stay ambiguous. A
 * file deleted and replaced, on its reused inode number, by a copy of the same bytes up to the
 * anchor is taken for the same file, and read on from where the deleted one stopped. And a new
 * file that holds a deleted file's head and anchor may be that file moved across file systems, or
 * a copy of the file the deleted one was itself copied from. Unless that file's stream has
 * shipped past the deleted one's end (being read, truncated within the copy window, or renamed out
 * of the glob with all it was read for), the new file is taken for the move: it continues the
 * deleted one's stream, and its first bytes, up to that end, are not shipped for it (rotation
 * model seeds 320356875120696515, -2282112531860762886, -2078064750229578276, 3727548886870332960,
 * 9104593454322841343, 7489124906995999902, -3715181301172324353).
 * Those bytes had been shipped for the deleted file (its stream resumes where they end), so every
 * line is in the index; what is missing is the new copy's own document for each of them. Taking the
 * other side whenever the new file copies a file being read turned a copytruncate copy into
 * duplicates (seed 6382429324255680299), which is worse.
 *
 * <p>Before a file has fingerprintBytes bytes, its head covers what there is (at least its first
 * complete line; a file whose first line is still being written is not read until it is complete,
 * or until partialLineTimeout) and is widened to fingerprintBytes once the file has grown: the
 * start of an appended file never changes, so the identity stays the same.
 *
 * <p>{@code CaravanFileId} is {@code <device hex>-<inode hex>-<hash of the first line>}, fixed when
 * the file is first seen and kept in the checkpoint: the same after renames, restarts and
 * copytruncate copies, and the same when a file is shipped again from scratch (so Elasticsearch
 * keeps one document per line).
 *
 * <h2>Rotation</h2>
 * <ul>
 *   <li><b>rename and create</b> (logrotate's default): the renamed file stays open and is read to
 *       its end, then let go once it has not grown for drainTimeout and Kafka acknowledged all of
 *       it. The new file is picked up at the next scan. A generation must be seen under a matched
 *       name before it is renamed away (it must live longer than scanInterval), or the glob must
 *       also match the rotated names ({@code app.log*}); if Caravan is stopped across a rotation,
 *       a file renamed out of the glob is still found by its inode in its directory.</li>
 *   <li><b>copytruncate</b>: the shrink, or a head or anchor that no longer matches, is detected
 *       and the file is read again from 0 as a new stream. The lines between the last read and the
 *       truncation exist only in the copy: when the glob matches the copy ({@code app.log*}), the
 *       old stream continues there from where it stopped, with its identity, so nothing is lost or
 *       repeated. The same holds across a crash: a stream is in the checkpoint file before its
 *       first line is sent, so a copy made while Caravan was down continues it from its
 *       checkpoint; and a copy that holds only what was already shipped (logrotate copied, more
 *       lines were shipped, the crash came before the truncate) is not shipped again. (Lines
 *       written between logrotate's copy and its truncate are lost by copytruncate itself; use
 *       rename rotation where you can.)</li>
 *   <li><b>truncation in place, delete and re-create</b>: a new stream from offset 0, even on a
 *       reused inode and even if rewritten beyond the old size before the next look.</li>
 *   <li><b>a copy of a file being read</b> (the same seed file copied to two paths): two live
 *       files that begin alike are two streams unless one was truncated and the other is its
 *       copy. The copy is held for copyWindow (60 s) after it stops growing, in case its original is truncated
 *       (copytruncate); if it is not, the copy is read in full as a file of its own.</li>
 * </ul>
 * Whatever the tailer decides not to ship (a copytruncate copy holding only lines already read,
 * what startPosition=end skips, a file deleted with bytes unread while closed) it says once per
 * path and reason in the log, and counts in {@code caravan.tail.skipped} by reason.
 *
 * <h2>Checkpoints</h2>
 * One JSON file per endpoint in checkpointDir ({@code data/checkpoints} by default), named
 * checkpointName or after the path; one entry per file on a line, readable and diff-friendly:
 * <pre>
 * {"version": 1, "updated": "2026-11-24T05:31:13.982Z", "files": [
 *   {"id":"fe00-20c923-7174424e0fae6467","path":"/var/log/app.log","offset":48893,"dev":65024,"ino":2147182,
 *    "head":{"len":1024,"hash":"6ab56581db2e3f77"},"anchor":{"len":64,"hash":"ac1140c425c0a55c"},"seen":"..."}
 * ]}
 * </pre>
 * Writes are atomic: temporary file, fsync, rename over the old one, fsync of the directory. A
 * lock file next to it keeps two endpoints (in one process or two) from sharing it. Entries of
 * files gone for forgetAfter are dropped. {@code "ino": -1} marks a file seen deleted: its number
 * may already be another file's. A newly found file's entry is written at once, before
 * any of its lines is sent: no line is ever shipped under an identity that a crash could lose.
 * The writes run on a thread of their own, one at a time: while another process loads the disk,
 * an fsync can take most of a second, and the reader goes on reading meanwhile (only a new file's
 * lines wait for its entry to be on disk).
 *
 * <h2>Threading and resources</h2>
 * One reader thread per endpoint takes turns over all its files (readChunkBytes per turn), so 500
 * files cost one thread, not 500; a second one writes its checkpoints. File handles are bounded by
 * maxOpenFiles: idle files are closed after closeInactive (and the least recently read one when the
 * limit is reached) and reopened by name when they grow; rotated-away files keep their handle until
 * drained. A scan's looks at new files take handles from the same limit, so a directory of 10,000
 * new files is looked at a limit's worth at a time, not all at once. Only when every handle is a
 * rotated-away file being drained does a scan take one or two beyond it (a new file and, for a copy
 * check, its original), so that new files are never left unread behind a drain. Memory: one read
 * buffer of max(readChunkBytes, maxLineBytes) per endpoint, the in-flight window, and per file only
 * a pending multiline event (at most multilineMaxBytes) or the kept head of an oversized line (at
 * most maxLineBytes). A half-written last line is not buffered: it is read again once it grows.
 *
 * <h2>Options</h2>
 * <table>
 * <caption>tail: endpoint options (times in milliseconds)</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>path (in the URI)</td><td></td><td>a file or a glob: {@code *} {@code ?} within a directory,
 *   {@code **} across directories (also none), {@code [abc]}, {@code {a,b}}</td></tr>
 * <tr><td>exclude</td><td></td><td>glob of files to leave out: on the name ({@code *.gz}), or with a / on the path</td></tr>
 * <tr><td>format, service, dataset, host</td><td>combined, -, -, this host</td><td>labels carried in the envelope</td></tr>
 * <tr><td>startPosition</td><td>beginning</td><td>beginning or end, for files present at the very first start;
 *   files that appear later (also while stopped) are read from their beginning</td></tr>
 * <tr><td>pollDelay</td><td>100</td><td>rest when nothing was new</td></tr>
 * <tr><td>idlePollDelay</td><td>250</td><td>longest rest: it grows to a quarter of the time files have been quiet, up to this</td></tr>
 * <tr><td>scanInterval</td><td>1000</td><td>how often the glob is expanded (new files, renames, deletions)</td></tr>
 * <tr><td>watchNewFiles</td><td>true</td><td>inotify on the glob's directories: a new file is read at the next poll, not the next scan</td></tr>
 * <tr><td>wakeOnWrite</td><td>true</td><td>while the files are quiet (the rest above pollDelay), inotify on their directories
 *   ends the rest when one is written: a line after a silence is read at once; off, it waits for the rest's end</td></tr>
 * <tr><td>checkpointDir</td><td>data/checkpoints</td><td>where checkpoint files live</td></tr>
 * <tr><td>checkpointName</td><td>from the path</td><td>the checkpoint file's name (set it to keep checkpoints when the path changes)</td></tr>
 * <tr><td>checkpointInterval</td><td>1000</td><td>how often checkpoints are written (and on stop)</td></tr>
 * <tr><td>fingerprintBytes</td><td>1024</td><td>leading bytes that identify a file</td></tr>
 * <tr><td>maxLineBytes</td><td>1048576</td><td>longer lines are cut and flagged, the rest skipped to the newline</td></tr>
 * <tr><td>partialLineTimeout</td><td>30000</td><td>a last line without newline is shipped after this; 0 waits for ever</td></tr>
 * <tr><td>multilinePattern</td><td></td><td>RE2/J expression; {@code java} = Java stack trace continuation lines</td></tr>
 * <tr><td>multilineMode</td><td>continue</td><td>continue: matching lines continue the event; start: matching lines start one</td></tr>
 * <tr><td>multilineNegate</td><td>false</td><td>invert the match</td></tr>
 * <tr><td>multilineMaxLines / multilineMaxBytes</td><td>500 / 1048576</td><td>limits of one event (beyond: dropped, flagged truncated)</td></tr>
 * <tr><td>multilineTimeout</td><td>2000</td><td>a pending event is shipped after this without a next line</td></tr>
 * <tr><td>maxInflight / maxInflightBytes</td><td>10000 / 33554432</td><td>the window of events sent and not yet acknowledged</td></tr>
 * <tr><td>maxBatchLines</td><td>unset: 500 or 1, by the route's steps</td><td>most lines (events) of one file per exchange, as a List body; see above</td></tr>
 * <tr><td>closeInactive</td><td>300000</td><td>idle files are closed after this</td></tr>
 * <tr><td>drainTimeout</td><td>30000</td><td>a rotated-away or deleted file is let go after not growing for this</td></tr>
 * <tr><td>copyWindow</td><td>the component's: 60000 (caravan.ship.tail.copy-window-ms)</td><td>a copy of a file
 *   being read is held this long after it stops growing, in case it is a copytruncate copy</td></tr>
 * <tr><td>maxOpenFiles</td><td>1024</td><td>most file handles at once</td></tr>
 * <tr><td>forgetAfter</td><td>86400000</td><td>checkpoints of files gone for this long are dropped</td></tr>
 * <tr><td>retryDelay / retryMaxDelay</td><td>1000 / 30000</td><td>backoff before re-reading after a failed delivery</td></tr>
 * <tr><td>readChunkBytes</td><td>262144</td><td>bytes read from one file per turn</td></tr>
 * </table>
 *
 * <h2>Metrics</h2>
 * Behind the {@link caravan.ship.tail.TailMetrics} interface (the component's metricsFactory
 * option; by default Micrometer's global registry, see {@link caravan.ship.tail.MicrometerTailMetrics}):
 * lines and bytes read, lines truncated, delivery failures, open files, lag in bytes per path
 * (bounded to 100 series per endpoint), rotations by kind, content skipped by reason.
 */
package caravan.ship.tail;
