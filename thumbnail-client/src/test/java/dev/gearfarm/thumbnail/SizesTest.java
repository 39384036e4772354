package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.spec.OutputSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void squareRectangleAndOneSidedSizes() {
        List<OutputSpec> outputs = Sizes.outputs(List.of("256", "300x200", "300x", "x120"), Fit.FIT, Format.PNG, 70, "/o");
        assertThat(outputs).extracting(OutputSpec::width).containsExactly(256, 300, 300, null);
        assertThat(outputs).extracting(OutputSpec::height).containsExactly(256, 200, null, 120);
        assertThat(outputs).allSatisfy(o -> {
            assertThat(o.format()).isEqualTo(Format.PNG);
            assertThat(o.quality()).isEqualTo(70);
            assertThat(o.destination()).isEqualTo("/o");
        });
    }

    @Test
    void badSizesAreUsageErrorsWithExamples() {
        assertThatThrownBy(() -> Sizes.outputs(List.of("big"), Fit.FIT, Format.JPEG, 85, "/o"))
                .isInstanceOf(CliException.class).hasMessageContaining("--size \"big\"").hasMessageContaining("300x200");
        assertThatThrownBy(() -> Sizes.outputs(List.of("0"), Fit.FIT, Format.JPEG, 85, "/o"))
                .hasMessageContaining("--size 0: output width must be 1..16384");
        assertThatThrownBy(() -> Sizes.outputs(List.of("300x"), Fit.FILL, Format.JPEG, 85, "/o"))
                .hasMessageContaining("needs both width and height");
    }
}
