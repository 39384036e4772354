package dev.gearfarm.images.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputFilterTest {
    @Test
    void takesImageExtensionsCaseInsensitivelyByDefault() {
        InputFilter filter = InputFilter.images();
        assertThat(filter.accepts("a/cat.JPG")).isTrue();
        assertThat(filter.accepts("dog.webp")).isTrue();
        assertThat(filter.accepts("scan.tiff")).isTrue();
        assertThat(filter.accepts("notes.txt")).isFalse();
        assertThat(filter.accepts("jpg")).isFalse();
    }

    @Test
    void neverTakesHiddenFilesOrFilesInHiddenFolders() {
        InputFilter filter = InputFilter.of("*");
        assertThat(filter.accepts(".thumbnail-report-1.jsonl")).isFalse();
        assertThat(filter.accepts(".cache/cat.jpg")).isFalse();
        assertThat(InputFilter.images().accepts("a/.cat.jpg.tmp")).isFalse();
    }

    @Test
    void aGlobWithoutSlashMatchesTheFileNameAtAnyDepth() {
        InputFilter filter = InputFilter.of("*.png");
        assertThat(filter.accepts("deep/down/logo.png")).isTrue();
        assertThat(filter.accepts("deep/down/photo.jpg")).isFalse();
        assertThat(InputFilter.of("*.dat").accepts("raw/image.dat")).isTrue();
    }

    @Test
    void aGlobWithSlashMatchesTheRelativePath() {
        InputFilter filter = InputFilter.of("2024/**");
        assertThat(filter.accepts("2024/05/cat.jpg")).isTrue();
        assertThat(filter.accepts("2023/05/cat.jpg")).isFalse();
    }

    @Test
    void blankGlobMeansImages() {
        assertThat(InputFilter.of("  ").glob()).isNull();
    }

    @Test
    void badGlobNamesItselfAndAnExample() {
        assertThatThrownBy(() -> InputFilter.of("[a-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--include \"[a-\"")
                .hasMessageContaining("*.jpg");
    }
}
