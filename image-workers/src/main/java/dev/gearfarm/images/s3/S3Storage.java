package dev.gearfarm.images.s3;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3 client for a worker process, configured the way MinIO and s3proxy need it, whose failures come
 * out as {@link ImageJobException}s naming {@code s3://bucket/key} and the endpoint.
 *
 * <p>Thread-safe: the SDK client is; share one instance between all job threads and close it once.
 */
public final class S3Storage implements AutoCloseable {
    /** How long one S3 call may take in all, retries included. */
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(60);

    private final S3Settings settings;
    private final S3Client client;
    private final String where;

    public S3Storage(S3Settings settings) {
        this.settings = settings;
        this.where = settings.endpoint() == null ? "AWS S3 (" + settings.region() + ")" : settings.endpoint().toString();
        AwsCredentialsProvider credentials = settings.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // SDK >= 2.30 sends and checks CRC checksums by default; MinIO versions and other
                // S3-compatible stores reject or mangle them (research notes §4.3), so only when required.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(DEFAULT_API_CALL_TIMEOUT)
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.client = builder.build();
    }

    public S3Settings settings() {
        return settings;
    }

    /**
     * The whole object, refused before its body is read when its length is over {@code maxBytes}.
     *
     * @throws ImageJobException NOT_FOUND, ACCESS_DENIED, UNREACHABLE or TOO_LARGE, naming the object
     */
    public byte[] get(String bucket, String key, long maxBytes) {
        String name = name(bucket, key);
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                // abort() drops the connection instead of draining the rest of a huge body into the pool.
                in.abort();
                throw tooLarge(name, length + " bytes", maxBytes);
            }
            return readCapped(in, name, maxBytes);
        } catch (SdkException e) {
            throw map(e, name, "read", Reason.UNREACHABLE);
        } catch (IOException e) {
            throw new ImageJobException(Reason.UNREACHABLE, "reading " + name + " from " + where + " failed: " + e, e);
        }
    }

    /**
     * Stores the object with its content type, in one PutObject.
     *
     * @throws ImageJobException NOT_FOUND (no bucket), ACCESS_DENIED, UNREACHABLE or STORE_FAILED
     */
    public void put(String bucket, String key, byte[] bytes, String mediaType) {
        String name = name(bucket, key);
        try {
            client.putObject(b -> b.bucket(bucket).key(key).contentType(mediaType).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw map(e, name, "store", Reason.STORE_FAILED);
        }
    }

    /**
     * Whether the object exists, by a HEAD request; a missing bucket also answers {@code false}, because
     * a HEAD response has no body to tell the two apart.
     *
     * @throws ImageJobException ACCESS_DENIED or UNREACHABLE
     */
    public boolean exists(String bucket, String key) {
        String name = name(bucket, key);
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw map(e, name, "look up", Reason.UNREACHABLE);
        } catch (SdkException e) {
            throw map(e, name, "look up", Reason.UNREACHABLE);
        }
    }

    /**
     * Every key under {@code prefix} (empty for all), in the store's order, following ListObjectsV2
     * continuation tokens; keys only, so memory grows with the number of keys.
     */
    public List<String> list(String bucket, String prefix) {
        return list(bucket, prefix, null);
    }

    /** {@link #list(String, String)} with pages of at most {@code pageSize} keys (null: the store's 1000). */
    List<String> list(String bucket, String prefix, Integer pageSize) {
        String name = "s3://" + bucket + "/" + (prefix == null ? "" : prefix);
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix == null || prefix.isEmpty() ? null : prefix)
                    .maxKeys(pageSize)
                    .build();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                keys.add(object.key());
            }
            return keys;
        } catch (SdkException e) {
            throw map(e, name, "list", Reason.UNREACHABLE);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Parses {@code s3://bucket/key}; see {@link S3Location#parse}. */
    public static S3Location parse(String reference) {
        return S3Location.parse(reference);
    }

    private static String name(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    private byte[] readCapped(InputStream in, String name, long maxBytes) throws IOException {
        int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        byte[] bytes = in.readNBytes(cap);
        if (bytes.length == cap && in.read() != -1) {
            throw tooLarge(name, "more than " + maxBytes + " bytes", maxBytes);
        }
        return bytes;
    }

    private ImageJobException tooLarge(String name, String size, long maxBytes) {
        return new ImageJobException(Reason.TOO_LARGE, name + " at " + where + " is " + size + ", over the "
                + maxBytes + "-byte limit; raise --max-download-bytes");
    }

    // The one place S3 failures become reasons: by the store's error code when it sent one, else by
    // HTTP status (HEAD answers have no body), else client-side failures (DNS, connect, timeout).
    private ImageJobException map(SdkException e, String name, String action, Reason otherwise) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String detail = (code == null ? "HTTP " + service.statusCode() : code + " (HTTP " + service.statusCode() + ")");
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            if (message != null && !message.isBlank()) {
                detail += ": " + message;
            }
            String prefix = "cannot " + action + " " + name + " at " + where + ": ";
            if ("NoSuchBucket".equals(code)) {
                String bucket = name.substring(5, name.indexOf('/', 5));
                return new ImageJobException(Reason.NOT_FOUND, prefix + "bucket \"" + bucket + "\" does not exist ("
                        + detail + ")", e);
            }
            if ("NoSuchKey".equals(code) || (code == null || "NotFound".equals(code)) && service.statusCode() == 404) {
                return new ImageJobException(Reason.NOT_FOUND, prefix + "no such object (" + detail + ")", e);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "AccessDenied".equals(code) || service.statusCode() == 403) {
                return new ImageJobException(Reason.ACCESS_DENIED, prefix + "credentials refused (" + detail
                        + "); check --s3-access-key/--s3-secret-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", e);
            }
            return new ImageJobException(otherwise, prefix + detail, e);
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException && text.contains("Unable to load credentials")) {
            return new ImageJobException(Reason.ACCESS_DENIED, "cannot " + action + " " + name + " at " + where
                    + ": no S3 credentials; set --s3-access-key/--s3-secret-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", e);
        }
        return new ImageJobException(Reason.UNREACHABLE, "cannot " + action + " " + name + ": " + where
                + " is unreachable (" + text + "); check --s3-endpoint", e);
    }
}
