package dev.gearfarm.images.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.spec.JobJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchManifestTest {
    private static BatchManifest read(String json) {
        return BatchJson.readManifest(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheDocumentedExampleWithDefaults() {
        BatchManifest m = read("""
                {"source": "/srv/photos", "recursive": true, "include": "*.jpg",
                 "outputs": [{"width": 256, "height": 256, "format": "png", "destination": "s3://thumbs/photos"}]}""");
        assertThat(m.recursive()).isTrue();
        assertThat(m.inFlight()).isEqualTo(BatchManifest.DEFAULT_IN_FLIGHT);
        assertThat(m.skipExisting()).isTrue();
        assertThat(m.outputs().get(0).format()).isEqualTo(Format.PNG);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        BatchManifest m = read("{\"urls\":[\"https://x/a.jpg\"],\"outputs\":[{\"width\":64,\"destination\":\"/o\"}],"
                + "\"inFlight\":3,\"skipExisting\":false}");
        BatchManifest again = BatchJson.readManifest(JobJson.write(m));
        assertThat(again).isEqualTo(m);
    }

    @Test
    void leafSpecsAreWrittenWithoutHelperGettersSoTheStrictReaderTakesThem() {
        dev.gearfarm.images.spec.JobSpec spec = dev.gearfarm.images.spec.JobSpec.of("inline",
                java.util.List.of(dev.gearfarm.images.spec.OutputSpec.builder().size(64).destination("inline").build()));
        String json = new String(JobJson.write(spec), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("inlineSource").doesNotContain("\"inline\":");
        assertThat(JobJson.readSpec(JobJson.write(spec))).isEqualTo(spec);
    }

    @Test
    void needsExactlyOneOfSourceAndUrls() {
        assertThatThrownBy(() -> read("{\"outputs\":[{\"width\":64,\"destination\":\"/o\"}]}"))
                .isInstanceOf(ImageJobException.class).hasMessageContaining("not neither");
        assertThatThrownBy(() -> read("{\"source\":\"/a\",\"urls\":[\"u\"],\"outputs\":[{\"width\":64,\"destination\":\"/o\"}]}"))
                .hasMessageContaining("not both");
    }

    @Test
    void refusesInlineOutputsUnknownFieldsAndBadInFlight() {
        assertThatThrownBy(() -> read("{\"source\":\"/a\",\"outputs\":[{\"width\":64,\"destination\":\"inline\"}]}"))
                .hasMessageContaining("not \"inline\"");
        assertThatThrownBy(() -> read("{\"source\":\"/a\",\"outputs\":[{\"width\":64,\"destination\":\"/o\"}],\"colour\":1}"))
                .hasMessageContaining("invalid batch manifest").hasMessageContaining("colour");
        assertThatThrownBy(() -> read("{\"source\":\"/a\",\"outputs\":[{\"width\":64,\"destination\":\"/o\"}],\"inFlight\":0}"))
                .hasMessageContaining("inFlight must be 1..1024, got 0");
    }
}
