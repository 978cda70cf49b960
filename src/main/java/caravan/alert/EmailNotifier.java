package caravan.alert;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailEndpoint;

/**
 * Sends alerts as plain-text e-mail through camel-mail (SMTP). The password is set on the endpoint
 * object, never put in an endpoint URI, so it cannot show up in Camel's logs or JMX.
 */
public final class EmailNotifier implements Notifier {
    private final ProducerTemplate producer;
    private final Endpoint endpoint;

    /**
     * @param security none, starttls (required: no clear-text login if the server does not offer it) or tls
     */
    public EmailNotifier(CamelContext ctx, String host, int port, String security, String username, String password,
            String from, String to) {
        String scheme = security.equals("tls") ? "smtps" : "smtp";
        MailEndpoint ep = ctx.getEndpoint(scheme + "://" + host + ":" + port, MailEndpoint.class);
        var conf = ep.getConfiguration();
        if (username != null && !username.isBlank()) {
            conf.setUsername(username);
            conf.setPassword(password);
        }
        conf.setFrom(from);
        conf.setTo(to);
        conf.setConnectionTimeout(10_000);
        if (security.equals("starttls")) {
            Properties p = new Properties();
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
            conf.setAdditionalJavaMailProperties(p);
        }
        this.endpoint = ep;
        this.producer = ctx.createProducerTemplate();
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public void send(AlertEvent e) {
        Exception failure = producer.send(endpoint, x -> {
            x.getIn().setHeader("Subject", e.title());
            x.getIn().setHeader("Content-Type", "text/plain; charset=UTF-8");
            x.getIn().setBody(e.message() + "\n\nrule: " + e.ruleId() + " (" + e.severity() + ")"
                    + (e.description() == null ? "" : " - " + e.description())
                    + "\ndataset: " + e.dataset() + "\nsubject: " + e.subject() + "\nwindow: " + e.window()
                    + "\nfirst fired: " + e.firstFired() + "\nkey: " + e.key() + "\n");
        }).getException();
        // ProducerTemplate.send keeps the failure on the exchange: rethrow it for the caller to count.
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
