/** Where a job's image bytes come from: HTTP(S) URLs, files under allowed roots, S3 objects. */
package dev.gearfarm.images.source;
