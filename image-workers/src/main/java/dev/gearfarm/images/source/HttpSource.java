package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches {@code http://} and {@code https://} URLs within byte, time and redirect limits, refusing
 * private addresses unless allow-listed (see {@link AddressPolicy}).
 *
 * <p>Apache HttpClient 5 rather than {@code java.net.http.HttpClient}, because it can be told the exact
 * address to connect to while still using the host name for the {@code Host} header, TLS SNI and
 * certificate checks ({@link HttpHost#HttpHost(String, InetAddress, String, int)}). So the address that
 * passed the SSRF check is the address connected to: a host whose DNS answer changes between the check
 * and the connect (DNS rebinding) cannot slip through. The JDK client on Java 17 can only connect to a
 * name it resolves itself. The client's own resolver is replaced by one that refuses every name, so no
 * code path can connect to an unchecked address.
 *
 * <p>Redirects are followed here, one checked hop at a time; https to http is refused because it would
 * let a network attacker substitute the image. Thread-safe: one instance serves all job threads.
 */
public final class HttpSource implements ImageSource, AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;
    private static final String USER_AGENT = "gearfarm-image-worker";

    // Daemon threads: the deadline watchdog and name resolution (which has no timeout of its own).
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-source-deadline");
        t.setDaemon(true);
        return t;
    });
    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-source-dns");
        t.setDaemon(true);
        return t;
    });

    private final HttpSourceOptions options;
    private final AddressPolicy policy;
    private final CloseableHttpClient client;
    private final Resolver resolver;

    /** Name resolution, replaceable so tests can play a DNS server whose answers change. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public HttpSource(HttpSourceOptions options) {
        this(options, null, InetAddress::getAllByName);
    }

    /** With a TLS context (tests trust a self-signed certificate this way) and a resolver of its own. */
    HttpSource(HttpSourceOptions options, SSLContext sslContext, Resolver resolver) {
        this.options = options;
        this.resolver = resolver;
        this.policy = AddressPolicy.of(options.allowPrivateAddresses(), options.allowedHosts());
        Timeout connect = Timeout.of(options.connectTimeout());
        Timeout read = Timeout.of(options.readTimeout());
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        // Retries are off, so a pooled connection the server has closed must be
                        // found out before reuse rather than fail the job.
                        .setValidateAfterInactivity(TimeValue.ofMilliseconds(500))
                        .build())
                .setDnsResolver(new RefuseAllResolver());
        if (sslContext != null) {
            connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext));
        }
        this.client = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect)
                        .setResponseTimeout(read)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                // Images are compressed already; decoding gzip would also hide Content-Length from the cap.
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .build();
    }

    @Override
    public boolean handles(String reference) {
        return reference != null && (reference.regionMatches(true, 0, "http://", 0, 7)
                || reference.regionMatches(true, 0, "https://", 0, 8));
    }

    @Override
    public byte[] fetch(String reference) {
        long deadline = System.nanoTime() + options.readTimeout().toNanos();
        URI uri = parse(reference);
        for (int hop = 0; ; hop++) {
            Hop result = get(reference, uri, deadline);
            if (result.bytes != null) {
                return result.bytes;
            }
            if (hop >= options.maxRedirects()) {
                throw new ImageJobException(Reason.TOO_LARGE, reference + " redirects more than "
                        + options.maxRedirects() + " times (last to " + result.location + "); raise --max-redirects");
            }
            URI next = parseRedirect(reference, uri, result.location);
            if (uri.getScheme().equalsIgnoreCase("https") && next.getScheme().equalsIgnoreCase("http")) {
                throw new ImageJobException(Reason.FORBIDDEN, reference + " redirects from https to plain http ("
                        + next + "); refused, because the image could be replaced in transit");
            }
            uri = next;
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing only releases pooled sockets; nothing is lost if one fails to close.
        }
    }

    /** One request: the body on 2xx, the Location on a redirect, an exception otherwise. */
    private record Hop(byte[] bytes, String location) {
    }

    private Hop get(String reference, URI uri, long deadline) {
        String host = AddressPolicy.normaliseHost(uri.getHost());
        InetAddress address = resolve(reference, uri, host, deadline);
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        HttpHost target = new HttpHost(uri.getScheme().toLowerCase(Locale.ROOT), address, host, port);
        HttpGet request = new HttpGet(uri);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, remainingNanos(deadline), TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response = client.executeOpen(target, request, null)) {
            boolean complete = false;
            try {
                int status = response.getCode();
                if (status >= 300 && status < 400 && status != 304) {
                    Header location = response.getFirstHeader("Location");
                    if (location == null || location.getValue().isBlank()) {
                        throw new ImageJobException(Reason.NOT_FOUND, uri + " answered HTTP " + status
                                + " without a Location" + via(reference, uri));
                    }
                    return new Hop(null, location.getValue().trim());
                }
                if (status >= 400 || status < 200 || status == 304) {
                    throw statusError(reference, uri, status, response.getReasonPhrase());
                }
                Hop hop = new Hop(readBody(reference, uri, request, response.getEntity(), deadline, timedOut), null);
                complete = true;
                return hop;
            } finally {
                if (!complete) {
                    // Closing an unread body would drain it to keep the connection, and a hostile body
                    // never ends: drop the connection instead.
                    request.cancel();
                }
            }
        } catch (IOException e) {
            if (timedOut.get() || System.nanoTime() - deadline >= 0) {
                throw timeout(reference);
            }
            throw new ImageJobException(Reason.UNREACHABLE, "cannot fetch " + uri + via(reference, uri) + ": "
                    + describe(e), e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private byte[] readBody(String reference, URI uri, HttpGet request, HttpEntity entity, long deadline,
            AtomicBoolean timedOut) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        long length = entity.getContentLength();
        long max = options.maxBytes();
        if (length > max) {
            throw tooLarge(reference, uri, length + " bytes (Content-Length)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        InputStream in = entity.getContent();
        boolean complete = false;
        try {
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > max) {
                    throw tooLarge(reference, uri, "more than " + max + " bytes");
                }
                if (timedOut.get() || System.nanoTime() - deadline >= 0) {
                    throw timeout(reference);
                }
                out.write(buffer, 0, n);
            }
            complete = true;
        } finally {
            if (!complete) {
                // Before close(), which would otherwise drain the rest of an endless body.
                request.cancel();
            }
            in.close();
        }
        return out.toByteArray();
    }

    // Resolves on a helper thread so a stuck resolver cannot outlive the deadline, then checks every
    // address: a name with one private address among public ones is refused, not silently narrowed.
    private InetAddress resolve(String reference, URI uri, String host, long deadline) {
        InetAddress[] addresses;
        try {
            addresses = CompletableFuture.supplyAsync(() -> {
                try {
                    return resolver.resolve(host);
                } catch (UnknownHostException e) {
                    throw new CompletionException(e);
                }
            }, RESOLVER).get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout(reference);
        } catch (ExecutionException e) {
            throw new ImageJobException(Reason.UNREACHABLE, "cannot fetch " + uri + via(reference, uri)
                    + ": host \"" + host + "\" does not resolve (" + describe(e.getCause()) + ")", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageJobException(Reason.UNREACHABLE, "fetching " + uri + " was interrupted", e);
        }
        for (InetAddress address : addresses) {
            String refusal = policy.refusal(host, address);
            if (refusal != null) {
                throw new ImageJobException(Reason.FORBIDDEN, "refused to fetch " + uri + via(reference, uri) + ": "
                        + host + " resolves to " + refusal + "; allow it with --allow-private-host " + host);
            }
        }
        return addresses[0];
    }

    private static URI parse(String reference) {
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw new ImageJobException(Reason.BAD_SPEC, "\"" + reference + "\" is not a valid URL (" + e.getReason()
                    + "); escape spaces and special characters as %XX", e);
        }
        checkForm(reference, uri, reference);
        return uri;
    }

    private static URI parseRedirect(String reference, URI from, String location) {
        URI next;
        try {
            next = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ImageJobException(Reason.NOT_FOUND, from + via(reference, from) + " redirects to \"" + location
                    + "\", which is not a valid URL", e);
        }
        checkForm(reference, next, "redirect from " + from + " to " + next);
        return next;
    }

    private static void checkForm(String reference, URI uri, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageJobException(reference.equals(what) ? Reason.BAD_SPEC : Reason.FORBIDDEN, what
                    + ": only http:// and https:// URLs are fetched");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            // java.net.URI leaves the host null when the authority is not a valid host name (my_host).
            String authority = uri.getRawAuthority();
            throw new ImageJobException(Reason.BAD_SPEC, what + (authority == null || authority.isEmpty()
                    ? ": the URL has no host name" : ": \"" + authority + "\" is not a valid host name"));
        }
        if (uri.getRawUserInfo() != null) {
            throw new ImageJobException(Reason.BAD_SPEC, what + ": URLs with user:password@ are not fetched;"
                    + " put the image somewhere it can be read without credentials in the URL");
        }
    }

    private static ImageJobException statusError(String reference, URI uri, int status, String phrase) {
        String message = uri + via(reference, uri) + " answered HTTP " + status
                + (phrase == null || phrase.isBlank() ? "" : " " + phrase);
        if (status == 401 || status == 403 || status == 407) {
            return new ImageJobException(Reason.FORBIDDEN, message + "; the server refuses to serve it to us");
        }
        if (status >= 500 || status == 408 || status == 429) {
            return new ImageJobException(Reason.UNREACHABLE, message + "; the server failed, try again later");
        }
        return new ImageJobException(Reason.NOT_FOUND, message);
    }

    private ImageJobException tooLarge(String reference, URI uri, String size) {
        return new ImageJobException(Reason.TOO_LARGE, uri + via(reference, uri) + " is " + size + ", over the "
                + options.maxBytes() + "-byte limit; raise --max-download-bytes");
    }

    private ImageJobException timeout(String reference) {
        return new ImageJobException(Reason.UNREACHABLE, "fetching " + reference + " took longer than "
                + format(options.readTimeout()) + "; raise --http-timeout or use a faster source");
    }

    private static String via(String reference, URI uri) {
        return reference.equals(uri.toString()) ? "" : " (redirected from " + reference + ")";
    }

    private static long remainingNanos(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The client's own resolver: never used on purpose, since every target carries a checked address. */
    private static final class RefuseAllResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": HttpSource connects only to addresses it has checked");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": HttpSource connects only to addresses it has checked");
        }
    }
}
