package caravan.alert;

import caravan.common.Secrets;
import caravan.common.SettingValues;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code caravan.alert.webhook.*} and {@code caravan.alert.email.*} settings: which channels
 * exist besides log and index, and how to reach them. The e-mail password (or its file) is read
 * only when the e-mail notifier is built.
 */
public record NotifierSettings(String webhookUrl, boolean webhookSlack, Duration webhookTimeout,
        String emailHost, int emailPort, String emailSecurity, String emailUsername, String emailPasswordValue,
        String emailPasswordFile, String emailFrom, String emailTo) {

    public static NotifierSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new NotifierSettings(s.string("caravan.alert.webhook.url"),
                s.string("caravan.alert.webhook.format").equals("slack"),
                s.seconds("caravan.alert.webhook.timeout-seconds"),
                s.string("caravan.alert.email.host"), s.integer("caravan.alert.email.port"),
                s.string("caravan.alert.email.security"), s.string("caravan.alert.email.username"),
                s.raw("caravan.alert.email.password"), s.raw("caravan.alert.email.password-file"),
                s.string("caravan.alert.email.from"), s.string("caravan.alert.email.to"));
    }

    /** The channels a rule may name: log and index always, webhook and e-mail when configured. */
    public Set<String> channels() {
        Set<String> ch = new HashSet<>(List.of("log", "index"));
        if (!webhookUrl.isEmpty()) {
            ch.add("webhook");
        }
        if (!emailHost.isEmpty()) {
            ch.add("email");
        }
        return ch;
    }

    public String emailPassword() {
        return Secrets.secret(emailPasswordValue, emailPasswordFile);
    }
}
