package caravan.enrich.ua;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UserAgentEnricherTest {
    private static final UserAgentEnricher UA = new UserAgentEnricher(100);

    private static Map<String, Object> parsed(String ua) {
        LogEvent e = new LogEvent();
        e.userAgent = ua;
        UA.enrich(e);
        return new TreeMap<>(e.fields());
    }

    @Test
    void desktopBrowser() {
        assertThat(parsed("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/32.0.1700.77 Safari/537.36")).isEqualTo(Map.of(
                "user_agent.name", "Chrome", "user_agent.version", "32.0.1700.77",
                "user_agent.os.name", "Mac OS", "user_agent.os.version", "10.9.1", "user_agent.os.full", "Mac OS 10.9.1",
                "user_agent.device.name", "Apple Macintosh"));
        assertThat(parsed("Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)")).containsEntry(
                "user_agent.name", "Internet Explorer").containsEntry("user_agent.version", "10.0")
                .containsEntry("user_agent.os.full", "Windows NT 7");
    }

    @Test
    void anUnknownOsVersionIsLeftOutAndTheFullNameIsJustTheName() {
        assertThat(parsed("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:26.0) Gecko/20100101 Firefox/26.0")).isEqualTo(Map.of(
                "user_agent.name", "Firefox", "user_agent.version", "26.0", "user_agent.os.name", "Ubuntu",
                "user_agent.os.full", "Ubuntu", "user_agent.device.name", "Linux Desktop"));
    }

    @Test
    void phoneWithItsDevice() {
        assertThat(parsed("Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; LG-MS770 Build/IMM76I) AppleWebKit/534.30 "
                + "(KHTML, like Gecko) Version/4.0 Mobile Safari/534.30"))
                .containsEntry("user_agent.os.full", "Android 4.0.4").containsEntry("user_agent.device.name", "LG MS770");
    }

    @Test
    void crawler() {
        assertThat(parsed("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
                .containsEntry("user_agent.name", "Googlebot").containsEntry("user_agent.version", "2.1");
    }

    @Test
    void whatCannotBeKnownIsNotIndexed() {
        assertThat(parsed("() { :; }; /bin/bash -c 'id'")).isEmpty();
        assertThat(parsed("-")).isEmpty();
        assertThat(parsed(null)).isEmpty();
    }

    @Test
    void aCachedUserAgentGivesTheSameFields() {
        String ua = "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:27.0) Gecko/20100101 Firefox/27.0";
        assertThat(parsed(ua)).isEqualTo(parsed(ua)).containsEntry("user_agent.name", "Firefox");
    }
}
