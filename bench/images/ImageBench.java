import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.codec.DecodedImage;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.codec.PixelBudget;
import dev.gearfarm.images.ops.Images;
import dev.gearfarm.images.ops.Resize;
import dev.gearfarm.images.source.HttpSource;
import dev.gearfarm.images.spec.OutputSpec;
import dev.gearfarm.images.spec.Payload;
import dev.gearfarm.images.worker.ImageWorkerOptions;
import dev.gearfarm.images.worker.ImageWorkerService;
import dev.gearfarm.images.worker.ThumbnailPipeline;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.imgscalr.Scalr;

/**
 * bench/images-run's Java side (not a test).
 *   pipeline THREADS ROUNDS TURBO FILE...  thumbnails in-process, THREADS at once (TURBO: true for the
 *                                          libjpeg-turbo decode path); prints images/s
 *   gearman HOST:PORT INFLIGHT ROUNDS FILE...   the same jobs through a job server and image workers
 *   scale OUTDIR FILE...                writes each photo's 256-px thumbnail with every imgscalr method (PNG)
 */
public final class ImageBench {
    static final String JOB = "{\"source\":\"inline\",\"outputs\":[{\"width\":256,\"height\":256,"
            + "\"quality\":85,\"destination\":\"inline\"}]}";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipeline" -> pipeline(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Boolean.parseBoolean(args[3]), files(args, 4));
            case "gearman" -> gearman(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4],
                    files(args, 5));
            case "scale" -> scale(Path.of(args[1]), files(args, 2));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static List<byte[]> files(String[] args, int from) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            payloads.add(new Payload(JOB.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(Path.of(args[i]))).toBytes());
        }
        return payloads;
    }

    static void pipeline(int threads, int rounds, boolean turbo, List<byte[]> payloads) throws Exception {
        ImageWorkerOptions options = ImageWorkerOptions.builder().servers("unused:1").jpegDecoder(turbo ? ImageDecoder.JpegDecoder.TURBOJPEG : ImageDecoder.JpegDecoder.IMAGEIO).build();
        try (HttpSource http = new HttpSource(options.http())) {
            ThumbnailPipeline pipeline = ImageWorkerService.pipeline(options, PixelBudget.fromHeap(), http, null);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            run(pool, pipeline, payloads);                        // warm-up round: JIT, ImageIO plugin scan
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                run(pool, pipeline, payloads);
            }
            report("pipeline in-process, " + threads + " threads" + (turbo ? ", turbojpeg" : ""),
                    rounds * payloads.size(), start);
            pool.shutdown();
        }
    }

    static void run(ExecutorService pool, ThumbnailPipeline pipeline, List<byte[]> payloads) throws Exception {
        List<Future<?>> jobs = new ArrayList<>();
        for (byte[] payload : payloads) {
            jobs.add(pool.submit(() -> pipeline.run(payload, ThumbnailPipeline.Progress.NONE)));
        }
        for (Future<?> job : jobs) {
            job.get();
        }
    }

    static void gearman(String server, int inflight, int rounds, String label, List<byte[]> payloads)
            throws Exception {
        try (GearmanClient client = GearmanClient.create(ClientOptions.builder().servers(server).build())) {
            submitAll(client, inflight, payloads);               // warm-up round for the workers' JIT
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                submitAll(client, inflight, payloads);
            }
            report(label, rounds * payloads.size(), start);
        }
    }

    static void submitAll(GearmanClient client, int inflight, List<byte[]> payloads) throws Exception {
        Semaphore window = new Semaphore(inflight);
        List<CompletableFuture<byte[]>> jobs = new ArrayList<>();
        for (byte[] payload : payloads) {
            window.acquire();
            CompletableFuture<byte[]> job = client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, payload)).result();
            job.whenComplete((r, e) -> window.release());
            jobs.add(job);
        }
        for (CompletableFuture<byte[]> job : jobs) {
            job.get(300, TimeUnit.SECONDS);
        }
    }

    static void report(String what, int images, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-40s %4d images in %6.2f s = %6.2f images/s%n", what, images, seconds,
                images / seconds);
    }

    /**
     * The pipeline's ImageIO decode (with its shrink on load), then each imgscalr method to the same size;
     * and, when libjpeg-turbo is installed, its DCT-scaled decode then QUALITY ({@code quality_dct}).
     */
    static void scale(Path out, List<byte[]> payloads) throws Exception {
        OutputSpec box = OutputSpec.builder().size(256).destination("inline").build();
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(1000));
        ImageDecoder dct = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(1000),
                ImageDecoder.JpegDecoder.AUTO);
        int n = 0;
        for (byte[] payload : payloads) {
            byte[] image = Payload.parse(payload).blob();
            n++;
            try (DecodedImage decoded = decoder.decode(image, "photo" + n,
                    (w, h) -> Resize.plan(box, w, h).scale())) {
                Resize.Plan plan = Resize.plan(box, decoded.width(), decoded.height());
                for (Scalr.Method method : Scalr.Method.values()) {
                    long t = System.nanoTime();
                    BufferedImage thumb = Scalr.resize(Images.toIntType(decoded.image()), method, Scalr.Mode.FIT_EXACT,
                            plan.width(), plan.height());
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    ImageIO.write(thumb, "png", out.resolve(n + "-" + method.name().toLowerCase(Locale.ROOT) + ".png").toFile());
                    System.out.printf(Locale.ROOT, "photo%d %s %dx%d resize %d ms (subsampling %d)%n", n, method,
                            plan.width(), plan.height(), ms, decoded.subsampling());
                }
            }
            if ("libjpeg-turbo".equals(dct.jpegDecoder())) {
                try (DecodedImage decoded = dct.decode(image, "photo" + n, (w, h) -> Resize.plan(box, w, h).scale())) {
                    long t = System.nanoTime();
                    BufferedImage thumb = Resize.apply(decoded.image(), box, decoded.width(), decoded.height());
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    ImageIO.write(thumb, "png", out.resolve(n + "-quality_dct.png").toFile());
                    System.out.printf(Locale.ROOT, "photo%d QUALITY_DCT %dx%d resize %d ms (DCT scale 1/%d)%n", n,
                            thumb.getWidth(), thumb.getHeight(), ms, decoded.subsampling());
                }
            }
        }
    }
}
