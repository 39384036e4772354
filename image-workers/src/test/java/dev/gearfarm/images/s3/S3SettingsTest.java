package dev.gearfarm.images.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void defaultsArePathStyleUsEast1AndTheProviderChain() {
        S3Settings settings = S3Settings.builder().build();

        assertThat(settings.endpoint()).isNull();
        assertThat(settings.region()).isEqualTo(S3Settings.DEFAULT_REGION).isEqualTo("us-east-1");
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.hasStaticCredentials()).isFalse();
    }

    @Test
    void readsTheStandardAwsEnvironmentVariables() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL", "http://minio:9000",
                "AWS_REGION", "eu-west-3",
                "AWS_ACCESS_KEY_ID", "minioadmin",
                "AWS_SECRET_ACCESS_KEY", "miniosecret"));

        assertThat(settings).isEqualTo(new S3Settings(URI.create("http://minio:9000"), "eu-west-3", "minioadmin",
                "miniosecret", true));
    }

    @Test
    void serviceSpecificEndpointAndRegionFallbacksApply() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL", "http://general:9000",
                "AWS_ENDPOINT_URL_S3", "http://s3-only:9000",
                "AWS_DEFAULT_REGION", "ap-south-1"));

        assertThat(settings.endpoint()).isEqualTo(URI.create("http://s3-only:9000"));
        assertThat(settings.region()).isEqualTo("ap-south-1");
        assertThat(S3Settings.fromEnvironment(Map.of()).endpoint()).isNull();
    }

    @Test
    void halfACredentialPairIsRefusedNamingBothFlags() {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "only-the-key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--s3-access-key and --s3-secret-key");
    }

    @Test
    void endpointWithoutSchemeIsRefusedWithAnExample() {
        assertThatThrownBy(() -> S3Settings.builder().endpoint(URI.create("minio:9000")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"minio:9000\"")
                .hasMessageContaining("--s3-endpoint http://minio:9000");
    }
}
