import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { StaffAgent } from './staff.js';
import type { TestSite } from './test-app.js';

/** A photo as a phone takes it: EXIF with the camera's make, GPS coordinates, and a rotation to apply. */
export async function phoneJpeg(width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 60, b: 40 } } })
    .jpeg({ quality: 80 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Spycam', Model: 'Tracker 3000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 23/1 2/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '4/1 29/1 10/1',
      },
    })
    .toBuffer();
}

export function plainImage(format: 'jpeg' | 'png' | 'webp' | 'gif', width = 400, height = 300): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .toFormat(format)
    .toBuffer();
}

/** Whether an EXIF block holds a GPS section (tag 0x8825, little or big endian). */
export function hasGpsPointer(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

/**
 * A PNG whose header claims `width` × `height` pixels over a few bytes of data: what a
 * decompression bomb looks like to anyone who reads only the header.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface FilePart {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A multipart/form-data body exactly as a browser's FormData sends it. */
export async function multipart(
  fields: Record<string, string>,
  file?: FilePart,
): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '',
  };
}

/** Uploads a file through the library's API as `agent`, the way the library's script does. */
export async function uploadAs(
  site: TestSite,
  agent: Pick<StaffAgent, 'cookie' | 'csrf'> | null,
  file: FilePart,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const body = await multipart(fields, file);
  return site.app.server.inject({
    method: 'POST',
    url: '/admin/api/media',
    headers: {
      'content-type': body.contentType,
      ...(agent ? { cookie: agent.cookie, 'x-csrf-token': agent.csrf } : {}),
      ...headers,
    },
    payload: body.payload,
  });
}
