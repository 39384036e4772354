package dev.gearfarm.gearmand.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {
    @TempDir
    Path dir;

    private static StoredJob job(long id) {
        return new StoredJob(id, "fn", "u" + id, (int) (id % 3), id % 2 == 0 ? 0 : 1_900_000_000L,
                id % 5 == 0 ? "reducer" : null, ("payload " + id).getBytes(StandardCharsets.ISO_8859_1));
    }

    private JournalStore open(long segmentBytes) {
        JournalStore store = new JournalStore(dir, segmentBytes);
        store.replay();
        return store;
    }

    private List<StoredJob> reopen() {
        try (JournalStore store = new JournalStore(dir)) {
            return store.replay();
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().startsWith("journal-")).sorted().toList();
        }
    }

    /** Where the records of a segment end and its preallocated zeros begin. */
    private static int dataEnd(Path segment) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(segment));
        int position = 8;
        while (position + 8 <= bytes.limit() && bytes.getInt(position) != 0) {
            position += 8 + bytes.getInt(position);
        }
        return position;
    }

    private static void assertSameJobs(List<StoredJob> actual, List<StoredJob> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            StoredJob a = actual.get(i);
            StoredJob e = expected.get(i);
            assertThat(a).usingRecursiveComparison().ignoringFields("data").isEqualTo(e);
            assertThat(a.data()).isEqualTo(e.data());
        }
    }

    @Test
    void replaysAddedJobsInIdOrderWithoutTheRemovedOnes() {
        try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
            store.write(List.of(job(3), job(1), job(2)), List.of());
            store.write(List.of(job(4)), List.of(2L, 99L));
        }

        assertSameJobs(reopen(), List.of(job(1), job(3), job(4)));
    }

    @Test
    void keepsLatin1NamesUniquesAndBinaryData() {
        StoredJob odd = new StoredJob(7, "f\u00e9", "\u00ff-u", 0, 0, null, new byte[] {0, 1, (byte) 0xff, 0});
        try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
            store.write(List.of(odd), List.of());
        }

        assertSameJobs(reopen(), List.of(odd));
    }

    @Test
    void tornRecordAtTheEndIsDroppedAndTheJournalStaysUsable() throws IOException {
        try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
            store.write(List.of(job(1), job(2)), List.of());
        }
        Path segment = segments().get(segments().size() - 1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(dataEnd(segment) - 3); // the crash came in the middle of job 2's record
        }

        assertSameJobs(reopen(), List.of(job(1)));
        try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
            store.write(List.of(job(3)), List.of());
        }
        assertSameJobs(reopen(), List.of(job(1), job(3)));
    }

    @Test
    void recordWithABadChecksumAtTheEndIsDropped() throws IOException {
        try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
            store.write(List.of(job(1)), List.of());
            store.write(List.of(job(2)), List.of());
        }
        Path segment = segments().get(segments().size() - 1);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[dataEnd(segment) - 1] ^= 0x55;
        Files.write(segment, bytes);

        assertSameJobs(reopen(), List.of(job(1)));
    }

    @Test
    void segmentsArePreallocatedAndTheUnusedRestIsGivenBackAtReplay() throws IOException {
        try (JournalStore store = open(1 << 20)) {
            store.write(List.of(job(1)), List.of());
            assertThat(Files.size(segments().get(0))).isEqualTo(1 << 20);
        }
        Path written = segments().get(0);

        assertSameJobs(reopen(), List.of(job(1)));
        assertThat(Files.size(written)).isEqualTo(dataEnd(written));
    }

    @Test
    void fileThatIsNotAJournalIsRefusedWithItsName() throws IOException {
        Files.writeString(dir.resolve("journal-000000000001.log"), "something else entirely");

        assertThatThrownBy(this::reopen).isInstanceOf(StoreException.class)
                .hasMessageContaining("journal-000000000001.log").hasMessageContaining("not a gearmand journal");
    }

    @Test
    void rollsOverAndDeletesSegmentsOnceTheirJobsAreDone() throws IOException {
        try (JournalStore store = open(4096)) {
            List<StoredJob> batch = new ArrayList<>();
            for (long id = 1; id <= 200; id++) {
                batch.add(job(id));
                if (batch.size() == 10) {
                    store.write(batch, List.of());
                    batch = new ArrayList<>();
                }
            }
            assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);
            List<Long> removes = new ArrayList<>();
            for (long id = 1; id <= 200; id++) {
                removes.add(id);
            }
            store.write(List.of(), removes);
            store.write(List.of(job(201)), List.of());

            assertThat(segments()).hasSizeLessThanOrEqualTo(2);
        }
        assertSameJobs(reopen(), List.of(job(201)));
    }

    @Test
    void copiesTheFewLiveJobsOfAnOldSegmentForwardAndDeletesIt() throws IOException {
        try (JournalStore store = open(4096)) {
            List<Long> removes = new ArrayList<>();
            for (long id = 1; id <= 300; id++) {
                store.write(List.of(job(id)), List.of());
                if (id != 5 && id != 150) {
                    removes.add(id);
                }
            }
            store.write(List.of(), removes);
            store.write(List.of(job(301)), List.of());

            assertThat(segments()).hasSizeLessThanOrEqualTo(2);
        }
        assertSameJobs(reopen(), List.of(job(5), job(150), job(301)));
    }

    @Test
    void eachStartWritesANewSegmentAndReplaysTheOldOnes() throws IOException {
        for (long id = 1; id <= 3; id++) {
            try (JournalStore store = open(JournalStore.DEFAULT_SEGMENT_BYTES)) {
                store.write(List.of(job(id)), List.of());
            }
        }

        assertSameJobs(reopen(), List.of(job(1), job(2), job(3)));
        assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);
    }
}
