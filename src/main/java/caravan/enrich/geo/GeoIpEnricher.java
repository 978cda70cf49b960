package caravan.enrich.geo;

import caravan.common.Metrics;
import caravan.enrich.Enricher;
import caravan.enrich.LastLookup;
import caravan.event.LogEvent;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AnonymousIpResponse;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.Subdivision;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks {@code source.ip} up in MaxMind databases: City gives {@code source.geo.*} (with
 * {@code location} as a geo_point), ASN gives {@code source.as.*}, and Anonymous-IP, when
 * configured, gives {@code caravan.geo.anonymous.*}. Addresses no database can know (private,
 * loopback, link-local, reserved) are skipped without a lookup.
 *
 * <p>Any database may be missing: the pipeline runs on without its fields, after one warning at
 * start-up, with the gauge {@code caravan.enrich.geoip.available} at 0. A database file that
 * appears or is replaced on disk is noticed by its modification time and size (checked at most
 * every {@code checkInterval}, by whichever thread gets there first) and swapped in atomically with
 * a fresh cache, so in-flight lookups finish on the old reader. Replace files by renaming a new
 * file over the old one, as {@code geoipupdate} does: the old reader keeps its mapping of the old
 * file until it is collected.
 *
 * <p>Results are cached by address string (bounded): the same clients come back again and again.
 */
public final class GeoIpEnricher implements Enricher {
    private static final Logger LOG = LoggerFactory.getLogger(GeoIpEnricher.class);
    private static final Map<String, AtomicInteger> AVAILABLE = new ConcurrentHashMap<>();

    /** The three kinds of database, with the type name their metadata must contain. */
    enum Kind {
        CITY("city", "City"), ASN("asn", "ASN"), ANONYMOUS("anonymous", "Anonymous-IP");

        final String key;
        final String type;

        Kind(String key, String type) {
            this.key = key;
            this.type = type;
        }
    }

    /** One configured database file and the reader of its current version (null while unusable). */
    private record Db(Kind kind, Path path, DatabaseReader reader, long mtime, long size) {
        boolean changedOnDisk() {
            long[] sig = signature(path);
            return sig[0] != mtime || sig[1] != size;
        }
    }

    /** Everything a lookup uses, swapped as one. */
    private record State(Db[] dbs, Cache<String, Geo> cache, LastLookup<Geo> last) {
        /**
         * With the last address and its result in front of the cache: a client's requests come one
         * after another. Per state, so a reloaded database never answers from the old one's memo.
         */
        static State of(Db[] dbs, Cache<String, Geo> cache) {
            State readers = new State(dbs, cache, null);
            return new State(dbs, cache, new LastLookup<>(ip -> cache.get(ip, key -> lookup(readers, key))));
        }

        DatabaseReader reader(Kind k) {
            Db d = dbs[k.ordinal()];
            return d == null ? null : d.reader();
        }

        boolean any() {
            for (Db d : dbs) {
                if (d != null && d.reader() != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The fields one address gives, ready to copy into events. */
    private record Geo(String[] names, Object[] values) {
        static final Geo NONE = new Geo(new String[0], new Object[0]);

        void applyTo(LogEvent e) {
            for (int i = 0; i < names.length; i++) {
                e.put(names[i], values[i]);
            }
        }
    }

    private final long cacheSize;
    private final long checkIntervalNanos;
    private final Consumer<String> warn;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile long nextCheck;
    private volatile State state;

    /**
     * @param cityDb        path of a City (or Enterprise) database, blank for none
     * @param asnDb         path of an ASN database, blank for none
     * @param anonymousDb   path of an Anonymous-IP database, blank for none
     * @param checkInterval milliseconds between checks of the files for a new version
     */
    public GeoIpEnricher(String cityDb, String asnDb, String anonymousDb, long cacheSize, long checkInterval) {
        this(cityDb, asnDb, anonymousDb, cacheSize, checkInterval, LOG::warn);
    }

    /** As above, with the warnings (at start-up, and for a database that changed and is unusable) sent to {@code warn}. */
    GeoIpEnricher(String cityDb, String asnDb, String anonymousDb, long cacheSize, long checkInterval, Consumer<String> warn) {
        this.warn = warn;
        this.cacheSize = cacheSize;
        this.checkIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkInterval);
        Db[] dbs = new Db[Kind.values().length];
        List<String> problems = new ArrayList<>();
        String[] paths = {cityDb, asnDb, anonymousDb};
        for (Kind k : Kind.values()) {
            String p = paths[k.ordinal()];
            if (p != null && !p.isBlank()) {
                dbs[k.ordinal()] = open(k, Path.of(p.trim()), problems);
            }
        }
        state = State.of(dbs, newCache());
        nextCheck = System.nanoTime() + checkIntervalNanos;
        registerGauges();
        publishAvailability(state);
        if (dbs[Kind.CITY.ordinal()] == null && dbs[Kind.ASN.ordinal()] == null) {
            problems.add(0, "no GeoIP database configured (caravan.enrich.geoip.city-db, asn-db)");
        }
        if (!problems.isEmpty()) {
            // One warning, at start-up, with everything that is wrong and what to do about it.
            warn.accept("GeoIP enrichment is incomplete: " + String.join("; ", problems) + ". Events get no fields from "
                    + "these databases until the files appear (checked every " + TimeUnit.MILLISECONDS.toSeconds(checkInterval)
                    + " s). Free GeoLite2 databases: https://dev.maxmind.com/geoip/geolite2-free-geolocation-data "
                    + "(the geoipupdate tool keeps them current).");
        } else {
            LOG.info("GeoIP databases loaded: {}", describe(state));
        }
    }

    private Cache<String, Geo> newCache() {
        return Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    /** Opens a database, or records why it cannot be used; a returned Db without reader is retried later. */
    private static Db open(Kind kind, Path path, List<String> problems) {
        long[] sig = signature(path);
        if (sig[0] < 0) {
            problems.add("the " + kind.key + " database " + path + " does not exist");
            return new Db(kind, path, null, sig[0], sig[1]);
        }
        try {
            DatabaseReader reader = new DatabaseReader.Builder(path.toFile()).withCache(new CHMCache()).build();
            String type = reader.metadata().databaseType();
            if (!type.contains(kind.type)) {
                problems.add(path + " is a " + type + " database, not " + kind.type + " (check caravan.enrich.geoip." + kind.key + "-db)");
                reader.close();
                return new Db(kind, path, null, sig[0], sig[1]);
            }
            return new Db(kind, path, reader, sig[0], sig[1]);
        } catch (IOException | RuntimeException e) {
            problems.add("the " + kind.key + " database " + path + " cannot be read: " + e.getMessage());
            return new Db(kind, path, null, sig[0], sig[1]);
        }
    }

    /** Modification time and size, or -1s when the file is not there. */
    private static long[] signature(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new long[] {a.lastModifiedTime().toMillis(), a.size()};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    @Override
    public void enrich(LogEvent e) {
        String ip = e.sourceIp;
        if (ip == null) {
            return;
        }
        if (System.nanoTime() - nextCheck >= 0) {
            reloadChanged();
        }
        State s = state;
        s.last().get(ip).applyTo(e);
    }

    /** Swaps in databases whose files changed; one thread does it while the others carry on. */
    void reloadChanged() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        try {
            State old = state;
            Db[] dbs = old.dbs().clone();
            boolean changed = false;
            for (Db d : old.dbs()) {
                if (d != null && d.changedOnDisk()) {
                    List<String> problems = new ArrayList<>();
                    Db fresh = open(d.kind(), d.path(), problems);
                    dbs[d.kind().ordinal()] = fresh;
                    changed = true;
                    Metrics.registry().counter("caravan.enrich.geoip.reloads", "database", d.kind().key).increment();
                    if (fresh.reader() != null) {
                        LOG.info("GeoIP {} database reloaded from {} ({} built {})", d.kind().key, d.path(),
                                fresh.reader().metadata().databaseType(), fresh.reader().metadata().buildTime());
                    } else {
                        warn.accept("GeoIP " + d.kind().key + " database not usable after a change on disk, its fields are off "
                                + "until it is fixed: " + String.join("; ", problems));
                    }
                }
            }
            if (changed) {
                state = State.of(dbs, newCache());
                publishAvailability(state);
            }
        } finally {
            nextCheck = System.nanoTime() + checkIntervalNanos;
            checking.set(false);
        }
    }

    /**
     * {@code caravan.enrich.geoip.available}: 1 while City or ASN data is loaded (events get geo
     * fields), else 0; and per database {@code caravan.enrich.geoip.database.available{database}}.
     * Registered once per process; the latest enricher's state is what they show.
     */
    private static void registerGauges() {
        AVAILABLE.computeIfAbsent("any", key -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("caravan.enrich.geoip.available", v, AtomicInteger::get)
                    .description("1 while a GeoIP City or ASN database is loaded, 0 when events get no geo fields")
                    .register(Metrics.registry());
            return v;
        });
        for (Kind k : Kind.values()) {
            AVAILABLE.computeIfAbsent(k.key, key -> {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("caravan.enrich.geoip.database.available", v, AtomicInteger::get)
                        .description("1 when this GeoIP database is loaded, 0 when it is not configured, missing or unusable")
                        .tag("database", key).register(Metrics.registry());
                return v;
            });
        }
    }

    private static void publishAvailability(State s) {
        for (Kind k : Kind.values()) {
            AVAILABLE.get(k.key).set(s.reader(k) != null ? 1 : 0);
        }
        AVAILABLE.get("any").set(s.reader(Kind.CITY) != null || s.reader(Kind.ASN) != null ? 1 : 0);
    }

    private static String describe(State s) {
        List<String> out = new ArrayList<>();
        for (Db d : s.dbs()) {
            if (d != null && d.reader() != null) {
                out.add(d.kind().key + "=" + d.path() + " (" + d.reader().metadata().databaseType() + ")");
            }
        }
        return String.join(", ", out);
    }

    /** Whether any database is loaded now. */
    public boolean available() {
        return state.any();
    }

    private static Geo lookup(State s, String ip) {
        if (!s.any()) {
            return Geo.NONE;
        }
        InetAddress address = IpAddresses.parse(ip);
        if (address == null || !IpAddresses.isPublic(address)) {
            return Geo.NONE;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        try {
            DatabaseReader city = s.reader(Kind.CITY);
            if (city != null) {
                city.tryCity(address).ifPresent(r -> city(r, f));
            }
            DatabaseReader asn = s.reader(Kind.ASN);
            if (asn != null) {
                asn.tryAsn(address).ifPresent(r -> asn(r, f));
            }
            DatabaseReader anonymous = s.reader(Kind.ANONYMOUS);
            if (anonymous != null) {
                anonymous(anonymous.tryAnonymousIp(address).orElse(null), f);
            }
        } catch (IOException | GeoIp2Exception e) {
            // A corrupt record: this address gets what was found before the error.
            LOG.debug("GeoIP lookup of {} failed: {}", ip, e.toString());
        }
        if (f.isEmpty()) {
            return Geo.NONE;
        }
        return new Geo(f.keySet().toArray(new String[0]), f.values().toArray());
    }

    private static void city(CityResponse r, Map<String, Object> f) {
        put(f, "source.geo.continent_name", r.continent().name());
        String country = r.country().isoCode();
        put(f, "source.geo.country_iso_code", country);
        put(f, "source.geo.country_name", r.country().name());
        Subdivision region = r.mostSpecificSubdivision();
        if (region != null && region.isoCode() != null) {
            // ECS region codes carry the country: US-WA, GB-ENG.
            put(f, "source.geo.region_iso_code", country != null ? country + "-" + region.isoCode() : region.isoCode());
        }
        put(f, "source.geo.region_name", region == null ? null : region.name());
        put(f, "source.geo.city_name", r.city().name());
        put(f, "source.geo.postal_code", r.postal() == null ? null : r.postal().code());
        Location loc = r.location();
        if (loc != null) {
            put(f, "source.geo.timezone", loc.timeZone());
            if (loc.latitude() != null && loc.longitude() != null) {
                // immutable, so the document writer keeps its bytes with the other geo fields'
                f.put("source.geo.location", caravan.event.FixedMap.of("lat", loc.latitude(), "lon", loc.longitude()));
            }
        }
    }

    private static void asn(AsnResponse r, Map<String, Object> f) {
        put(f, "source.as.number", r.autonomousSystemNumber());
        put(f, "source.as.organization.name", r.autonomousSystemOrganization());
    }

    private static void anonymous(AnonymousIpResponse r, Map<String, Object> f) {
        boolean any = r != null && (r.isAnonymous() || r.isAnonymousVpn() || r.isHostingProvider() || r.isPublicProxy()
                || r.isResidentialProxy() || r.isTorExitNode());
        f.put("caravan.geo.anonymous.detected", any);
        if (any) {
            flag(f, "caravan.geo.anonymous.vpn", r.isAnonymousVpn());
            flag(f, "caravan.geo.anonymous.hosting_provider", r.isHostingProvider());
            flag(f, "caravan.geo.anonymous.public_proxy", r.isPublicProxy());
            flag(f, "caravan.geo.anonymous.residential_proxy", r.isResidentialProxy());
            flag(f, "caravan.geo.anonymous.tor_exit_node", r.isTorExitNode());
        }
    }

    private static void flag(Map<String, Object> f, String name, boolean v) {
        if (v) {
            f.put(name, Boolean.TRUE);
        }
    }

    private static void put(Map<String, Object> f, String name, Object v) {
        if (v != null && !Objects.equals(v, "")) {
            f.put(name, v);
        }
    }

    @Override
    public String name() {
        return "geoip";
    }
}
