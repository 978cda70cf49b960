package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.event.LogEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each strftime format against the same instant written by java.time with the equivalent pattern. */
class StrftimeTest {
    private static final ZonedDateTime WHEN = ZonedDateTime.of(2015, 5, 7, 14, 5, 3, 0, ZoneOffset.ofHours(2));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%d/%b/%Y:%H:%M:%S %z|dd/MMM/yyyy:HH:mm:ss Z",
        "%Y-%m-%d %H:%M:%S %z|yyyy-MM-dd HH:mm:ss Z",
        "%Y-%m-%dT%H:%M:%S%z|yyyy-MM-dd'T'HH:mm:ssxxx",
        "%F %T %z|yyyy-MM-dd HH:mm:ss Z",
        "%a %b %e %H:%M:%S %Y %z|EEE MMM ppd HH:mm:ss yyyy Z",
        "%A, %d %B %Y %I:%M:%S %p %z|EEEE, dd MMMM yyyy hh:mm:ss a Z",
        "%D %R:%S %z|MM/dd/yy HH:mm:ss Z",
        "%y%m%d%H%M%S %z|yyMMddHHmmss Z",
        "%j %Y %T %z|DDD yyyy HH:mm:ss Z",
        "%c %z|EEE MMM ppd HH:mm:ss yyyy Z",
        "%s|EPOCH"})
    void readsBackWhatItWrites(String strftime, String javaPattern) {
        String text = javaPattern.equals("EPOCH") ? Long.toString(WHEN.toEpochSecond())
                : WHEN.format(DateTimeFormatter.ofPattern(javaPattern, Locale.ENGLISH));
        TimeParts t = new TimeParts();
        int end = Strftime.compile(strftime).parse(text, 0, text.length(), t);
        assertThat(end).as(text).isEqualTo(text.length());
        assertThat(t.resolve(ZoneOffset.UTC)).as(text).isEqualTo(WHEN.toInstant().toEpochMilli());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"sec|1431000303|1431000303000", "msec|1431000303123|1431000303123",
        "usec|1431000303123456|1431000303123"})
    void apacheEpochTokens(String fmt, String text, long millis) {
        TimeParts t = new TimeParts();
        assertThat(Strftime.compile(fmt).parse(text, 0, text.length(), t)).isEqualTo(text.length());
        assertThat(t.resolve(ZoneOffset.UTC)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"%Y-%m-%d|2015-13-01", "%H:%M|24:00", "%d/%b|07/Foo", "%z|+2500", "%p|XM",
        "%Y|abcd", "%d-%m|7/5", "msec_frac|12"})
    void refusesWhatDoesNotFit(String fmt, String text) {
        assertThat(Strftime.compile(fmt).parse(text, 0, text.length(), new TimeParts())).isNegative();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%Q", "%", "%Y %", "", "%E"})
    void unsupportedFormats(String fmt) {
        assertThatThrownBy(() -> Strftime.compile(fmt)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%H:%M:%S", "%b %d"})
    void incompleteTimesResolveToAbsent(String fmt) {
        String text = WHEN.format(DateTimeFormatter.ofPattern(fmt.equals("%b %d") ? "MMM dd" : "HH:mm:ss", Locale.ENGLISH));
        TimeParts t = new TimeParts();
        Strftime.compile(fmt).parse(text, 0, text.length(), t);
        assertThat(t.resolve(ZoneOffset.UTC)).isEqualTo(LogEvent.ABSENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"%Y-%m-%d %H:%M:%S|2015-05-07 14:05:03|2015-05-07T12:05:03Z"})
    void zoneAppliesWithoutAnOffset(String fmt, String text, String instant) {
        TimeParts t = new TimeParts();
        Strftime.compile(fmt).parse(text, 0, text.length(), t);
        assertThat(t.resolve(ZoneOffset.ofHours(2))).isEqualTo(Instant.parse(instant).toEpochMilli());
    }
}
