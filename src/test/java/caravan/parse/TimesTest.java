package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** java.time is the oracle: every shortcut here must agree with it. */
class TimesTest {

    @Test
    void epochDayAgreesWithJavaTime() {
        for (LocalDate d = LocalDate.of(1600, 1, 1); d.isBefore(LocalDate.of(2500, 1, 1)); d = d.plusDays(1)) {
            if (Times.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()) != d.toEpochDay()) {
                throw new AssertionError(d);
            }
        }
        assertThat(Times.validDate(2024, 2, 29)).isTrue();
        assertThat(Times.validDate(2023, 2, 29)).isFalse();
        assertThat(Times.validDate(1900, 2, 29)).isFalse();
        assertThat(Times.validDate(2000, 2, 29)).isTrue();
        assertThat(Times.validDate(2023, 4, 31)).isFalse();
    }

    @Test
    void commonLogTimeAgreesWithJavaTime() {
        DateTimeFormatter clf = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long secs = (long) (r.nextDouble() * 4_000_000_000L);
            int offsetMinutes = (r.nextInt(27 * 4) - 12 * 4) * 15;
            String text = Instant.ofEpochSecond(secs).atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).format(clf);
            assertThat(Times.clf(text, 0)).as(text).isEqualTo(secs * 1000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"17/Foo/2015:10:05:03 +0000", "32/May/2015:10:05:03 +0000", "17/May/2015:24:05:03 +0000",
        "17/May/2015:10:60:03 +0000", "17/May/2015 10:05:03 +0000", "17/May/2015:10:05:03 0000", "1x/May/2015:10:05:03 +0000",
        "17/May/20x5:10:05:03 +0000", "17/May/2015:10:05:03 +00x0", "29/Feb/2015:10:05:03 +0000", "17/May/2015:10:05:03 +0060"})
    void notCommonLogTimes(String s) {
        assertThat(Times.clf(s, 0)).isEqualTo(Times.INVALID);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2025-10-23T14:32:15Z|2025-10-23T14:32:15Z",
        "2025-10-23 14:32:15|2025-10-23T14:32:15Z",
        "2025-10-23t14:32:15.1|2025-10-23T14:32:15.100Z",
        "2025-10-23 14:32:15,999999999|2025-10-23T14:32:15.999Z",
        "2025-10-23T14:32:15+05:30|2025-10-23T09:02:15Z",
        "2025-10-23T14:32:15-0800|2025-10-23T22:32:15Z",
        "2025-10-23T14:32:15 +01|2025-10-23T13:32:15Z",
        "2025-10-23T14:32|2025-10-23T14:32:00Z",
        "2016-12-31T23:59:60Z|2016-12-31T23:59:59Z"})
    void isoLikeTimes(String text, String instant) {
        Times.Result r = new Times.Result();
        assertThat(Times.iso(text, 0, text.length(), ZoneOffset.UTC, r)).isEqualTo(text.length());
        assertThat(r.millis).isEqualTo(Instant.parse(instant).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-10-23", "2025/10/23 14:32:15", "2025-13-01 00:00:00", "2025-02-29 00:00:00",
        "2025-10-23X14:32:15", "2025-10-23 25:00:00", "x025-10-23 14:32:15", "2025-10-23T14:32:15+19:00"})
    void notIsoTimes(String text) {
        assertThat(Times.iso(text, 0, text.length(), ZoneOffset.UTC, new Times.Result())).isEqualTo(-1);
    }

    @Test
    void localTimesFollowTheZonesRules() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        for (String s : new String[] {"2025-01-15T12:00", "2025-07-15T12:00", "2025-03-30T02:30", "2025-10-26T02:30"}) {
            LocalDateTime ldt = LocalDateTime.parse(s);
            long expected = ldt.atZone(paris).toInstant().toEpochMilli();
            assertThat(Times.local(ldt.getYear(), ldt.getMonthValue(), ldt.getDayOfMonth(), ldt.getHour(),
                    ldt.getMinute(), 0, 0, Times.NO_OFFSET, paris)).as(s).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"0.123,1000000000,123000000", "12,1000000000,12000000000", "1500,1000,1500000", ".5,1000000000,500000000",
        "3.,1000000000,3000000000", "0.0000000019,1000000000,1", "150,1000000,150000000"})
    void decimals(String text, long unit, long nanos) {
        assertThat(Times.decimalNanos(text, 0, text.length(), unit)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "-1", "1.2.3", "abc", "1e3", "9999999999999999"})
    void notDecimals(String text) {
        assertThat(Times.decimalNanos(text, 0, text.length(), 1_000_000_000L)).isEqualTo(Times.INVALID);
    }
}
