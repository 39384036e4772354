package dev.gearfarm.images.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON contract: the README's examples parse, defaults apply, and every error names its field. */
class JobJsonTest {

    private static List<String> readmeJsonBlocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static JobSpec spec(String json) {
        return JobJson.readSpec(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyJsonExampleInTheReadmeParses() throws IOException {
        List<String> blocks = readmeJsonBlocks();
        int specs = 0;
        int results = 0;
        for (String block : blocks) {
            if (block.contains("\"location\"")) {
                JobResult result = JobJson.readResult(block.getBytes(StandardCharsets.UTF_8));
                assertThat(result.outputs()).isNotEmpty();
                results++;
            } else {
                JobSpec spec = spec(block);
                assertThat(spec.outputs()).isNotEmpty();
                specs++;
            }
        }
        assertThat(specs).isGreaterThanOrEqualTo(2);
        assertThat(results).isEqualTo(1);
    }

    @Test
    void theReadmeSpecExampleMeansWhatItSays() throws IOException {
        JobSpec spec = spec(readmeJsonBlocks().get(0));
        assertThat(spec.id()).isEqualTo("order-1234");
        assertThat(spec.operations()).containsExactly(new Operation.Rotate(90));
        OutputSpec first = spec.outputs().get(0);
        assertThat(first.fit()).isEqualTo(Fit.FIT);
        assertThat(first.format()).isEqualTo(Format.JPEG);
        assertThat(first.quality()).isEqualTo(OutputSpec.DEFAULT_QUALITY);
        assertThat(first.upscale()).isFalse();
        assertThat(spec.outputs().get(1).format()).isEqualTo(Format.WEBP);
        OutputSpec third = spec.outputs().get(2);
        assertThat(third.fit()).isEqualTo(Fit.FILL);
        assertThat(third.gravity()).isEqualTo(Gravity.NORTH);
        assertThat(third.isInline()).isTrue();
    }

    @Test
    void resultsRoundTrip() {
        JobResult result = new JobResult("a", new JobResult.SourceInfo("inline", 10, 20, "png", 1, 99),
                List.of(new JobResult.OutputResult("inline", 5, 10, 40, "jpeg", 0L),
                        new JobResult.OutputResult("/t/x.png", 5, 10, 41, "png", null)));
        byte[] json = JobJson.write(result);
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("null");
        assertThat(JobJson.readResult(json)).isEqualTo(result);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"outputs\":[{\"width\":1,\"destination\":\"inline\"}]}|a job needs a source",
        "{\"source\":\"inline\"}|a job needs at least one output",
        "{\"source\":\"inline\",\"outputs\":[{\"destination\":\"inline\"}]}|an output needs a width, a height or both",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":0,\"destination\":\"inline\"}]}|output width must be 1..16384, got 0",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"fit\":\"fill\",\"destination\":\"inline\"}]}|fit \"fill\" needs both width and height",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"fit\":\"cover\",\"destination\":\"inline\"}]}|unknown fit \"cover\"; use one of: fit, fill, exact",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"quality\":101,\"destination\":\"inline\"}]}|quality must be 1..100, got 101",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"format\":\"gif\",\"destination\":\"inline\"}]}|unknown format \"gif\"; use one of: jpeg, png, webp",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"background\":\"red\",\"destination\":\"inline\"}]}|background must be #rrggbb, got \"red\"",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5}]}|an output needs a destination",
        "{\"source\":\"inline\",\"operations\":[{\"op\":\"rotate\",\"degrees\":45}],\"outputs\":[{\"width\":5,\"destination\":\"inline\"}]}|rotate degrees must be 90, 180 or 270, got 45",
        "{\"source\":\"inline\",\"operations\":[{\"op\":\"blur\",\"sigma\":99}],\"outputs\":[{\"width\":5,\"destination\":\"inline\"}]}|blur sigma must be between 0.1 and 50, got 99",
        "{\"source\":\"inline\",\"operations\":[{\"op\":\"swirl\"}],\"outputs\":[{\"width\":5,\"destination\":\"inline\"}]}|swirl",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"destination\":\"inline\",\"colour\":1}]}|colour",
        "{\"source\":\"inline\",\"outputs\":[{\"width\":5,\"destination\":\"inline\"}]}x|invalid job spec",
    })
    void badSpecsAreRefusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> spec(json))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SPEC))
                .hasMessageContaining(message);
    }

    @Test
    void aSyntaxErrorSaysWhere() {
        assertThatThrownBy(() -> spec("{\"source\": \"inline\",\n \"outputs\": [}"))
                .isInstanceOf(ImageJobException.class).hasMessageContaining("at line 2 column");
    }
}
