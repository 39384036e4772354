package dev.gearfarm.images.s3;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.ImageJobException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3LocationTest {
    @Test
    void parsesBucketAndKeyKeepingTheKeyVerbatim() {
        S3Location location = S3Location.parse("s3://my-bucket.v2/a/b c/%20ü.jpg");

        assertThat(location.bucket()).isEqualTo("my-bucket.v2");
        assertThat(location.key()).isEqualTo("a/b c/%20ü.jpg");
        assertThat(location).hasToString("s3://my-bucket.v2/a/b c/%20ü.jpg");
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(S3Location.isS3("S3://bucket/key")).isTrue();
        assertThat(S3Location.parse("S3://bucket/key").key()).isEqualTo("key");
        assertThat(S3Location.isS3("/s3://bucket/key")).isFalse();
        assertThat(S3Location.isS3(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3://bucket|there is no key after the bucket",
        "s3://bucket/|the key is empty",
        "s3:///key|the bucket is empty",
        "s3://|there is no key after the bucket",
        "s3://Upper/key|is not a bucket name",
        "s3://ab/key|is not a bucket name",
        "http://bucket/key|does not start with s3://"})
    void malformedReferencesAreBadSpecNamingTheReferenceAndTheForm(String reference, String why) {
        assertRefused(() -> S3Location.parse(reference), Reason.BAD_SPEC)
                .hasMessageContaining("\"" + reference + "\"")
                .hasMessageContaining(why)
                .hasMessageEndingWith("use s3://bucket/key");
    }
}
