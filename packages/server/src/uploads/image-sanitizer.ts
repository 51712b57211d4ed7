import sharp, { type Metadata } from 'sharp';

// Every image is decoded and encoded again by sharp (libvips) before it is stored: what is kept is
// the pixels, never the metadata (EXIF with GPS, XMP, IPTC, comments; sharp writes none unless
// asked) nor anything appended to or hidden in the file (a polyglot loses its second format).
// The dimensions are read from the header first, so a small file that claims a huge image is
// refused before any pixel is decoded.

export class ImageRefused extends Error {
  constructor(
    readonly reason: 'unreadable' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'ImageRefused';
  }
}

export interface CleanImage {
  bytes: Buffer;
  width: number;
  height: number;
}

export async function sanitizeImage(input: Uint8Array, mediaType: string, maxPixels: number): Promise<CleanImage> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { animated: true, limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefused('unreadable', 'the image could not be read');
  }
  const width = meta.width ?? 0;
  // An animation's frames are stacked: pageHeight is one frame.
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const frames = meta.pages ?? 1;
  if (width <= 0 || frameHeight <= 0) throw new ImageRefused('unreadable', 'the image has no size');
  if (width * frameHeight > maxPixels || width * frameHeight * frames > maxPixels * 4) {
    throw new ImageRefused(
      'too_large',
      `the image is ${width}×${frameHeight} pixels${frames > 1 ? ` in ${frames} frames` : ''}; at most ${maxPixels.toLocaleString('en')} pixels are accepted`,
    );
  }
  try {
    let image = sharp(input, { animated: frames > 1, limitInputPixels: maxPixels * 4, failOn: 'error' });
    // JPEG: turn the pixels as the EXIF orientation said, since the orientation goes with the metadata.
    if (mediaType === 'image/jpeg') image = image.rotate();
    const encoded =
      mediaType === 'image/png'
        ? image.png()
        : mediaType === 'image/jpeg'
          ? image.jpeg({ quality: 90 })
          : mediaType === 'image/gif'
            ? image.gif()
            : image.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
  } catch {
    throw new ImageRefused('unreadable', 'the image could not be read');
  }
}
