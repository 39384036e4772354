/** Pixel operations: thumbnails (fit, fill, exact), crop, rotate, flip, grayscale, blur, sharpen, watermark. */
package dev.gearfarm.images.ops;
