// sharp (libvips) done well: rotate() for EXIF, resize fit inside without
// enlargement, decode once (the 1024 result, raw, feeds both its JPEG and the
// 256), JPEG quality 80, one thread. Prints one JSON line per file.
// Usage: node peer_sharp.mjs ROUNDS FILE...
import { readFileSync } from "node:fs";
import sharp from "sharp";

sharp.concurrency(1);
sharp.cache(false);
const [rounds, ...files] = process.argv.slice(2);

async function thumbnails(data) {
  const { data: raw, info } = await sharp(data)
    .rotate()
    .resize(1024, 1024, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const big = await sharp(raw, input).jpeg({ quality: 80 }).toBuffer();
  const small = await sharp(raw, input)
    .resize(256, 256, { fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
  return [big, small];
}

for (const file of files) {
  const data = readFileSync(file);
  const times = [];
  try {
    for (let i = 0; i < Number(rounds); i++) {
      const start = process.hrtime.bigint();
      await thumbnails(data);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } catch (e) {
    // sharp's prebuilt libvips reads HEIF but has no HEVC decoder.
    console.log(JSON.stringify({ file, error: e.message.split("\n")[0] }));
    continue;
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ file, median_ms: times[Math.floor(times.length / 2)] }));
}
