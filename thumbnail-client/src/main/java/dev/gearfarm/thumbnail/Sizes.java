package dev.gearfarm.thumbnail;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.spec.OutputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns {@code --size} values ({@code 256}, {@code 300x200}, {@code 300x}, {@code x200}) into output templates. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)?(?:x(\\d+)?)?");

    private Sizes() {}

    static List<OutputSpec> outputs(List<String> sizes, Fit fit, Format format, int quality, String destination) {
        List<OutputSpec> outputs = new ArrayList<>();
        for (String size : sizes) {
            OutputSpec.Builder builder = OutputSpec.builder().fit(fit).format(format).quality(quality)
                    .destination(destination);
            Matcher m = SIZE.matcher(size.trim());
            if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
                throw CliException.usage("--size \"" + size + "\" is not a size; use 256 (a square box), 300x200,"
                        + " 300x (width only) or x200 (height only)");
            }
            boolean box = size.contains("x");
            Integer w = m.group(1) == null ? null : Integer.valueOf(m.group(1));
            Integer h = m.group(2) == null ? null : Integer.valueOf(m.group(2));
            builder.width(w).height(box ? h : w);
            try {
                outputs.add(builder.build());
            } catch (RuntimeException e) {
                throw CliException.usage("--size " + size + ": " + e.getMessage());
            }
        }
        return outputs;
    }
}
