/** Decoding (header-first limits, EXIF orientation, CMYK, shrink on load) and encoding (JPEG, PNG). */
package dev.gearfarm.images.codec;
