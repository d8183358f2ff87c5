#!/usr/bin/env python3
"""Makes the ImageCodec test fixtures and what Pillow decodes them to; run once with Pillow and numpy.

    python3 -m venv /tmp/pil && /tmp/pil/bin/pip install pillow numpy
    /tmp/pil/bin/python Tests/ImageCodecTests/Fixtures/make-fixtures.py

Each NAME.jpg / NAME.png has NAME.rgb beside it: the expected pixels, 8-bit RGB, rows top to bottom. For PNG
they are exact (16-bit samples cut to their high byte, alpha composited on white as
(c * a + 255 * (255 - a) + 127) // 255); for JPEG they are Pillow's (libjpeg's) decode, matched within a tolerance.
"""
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps

here = os.path.dirname(os.path.abspath(__file__))


def scene(width, height, seed=1, texture=1.0):
    """A photo-like picture: smooth gradients, soft blobs, a few edges and a little fine texture."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / width, y / height
    r = 200 * u + 40 * np.sin(6 * v)
    g = 180 * v + 50 * np.cos(5 * u + 2 * v)
    b = 120 + 100 * np.sin(3 * u * v * 4)
    for _ in range(6):
        cx, cy, rad = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(0.08, 0.3) * width
        col = rng.uniform(-90, 90, 3)
        w = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * rad**2))
        r, g, b = r + col[0] * w, g + col[1] * w, b + col[2] * w
    rect = (u > 0.6) & (u < 0.8) & (v > 0.2) & (v < 0.5)
    r, g, b = np.where(rect, 230, r), np.where(rect, 220, g), np.where(rect, 40, b)
    noise = rng.normal(0, 6 * texture, (height, width, 3))
    img = np.stack([r, g, b], axis=-1) + noise
    return np.clip(img, 0, 255).round().astype(np.uint8)


def save_rgb(name, array):
    with open(os.path.join(here, name + ".rgb"), "wb") as f:
        f.write(np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def jpeg(name, image, **options):
    image.save(os.path.join(here, name + ".jpg"), "JPEG", **options)
    decoded = Image.open(os.path.join(here, name + ".jpg"))
    save_rgb(name, np.asarray(ImageOps.exif_transpose(decoded).convert("RGB")))


def over_white(rgb, alpha):
    rgb = rgb.astype(np.int64)
    a = alpha.astype(np.int64)[..., None]
    return ((rgb * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_row(kind, row, prev, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i] if prev is not None else 0
        c = prev[i - bpp] if prev is not None and i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (row[i] - pred) & 0xFF
    return bytes(out)


def write_png_rgb(path, pixels, interlaced):
    """Our own small encoder (Pillow writes no Adam7): 8-bit RGB, the five filters in turn row by row."""
    height, width, _ = pixels.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    turn = 0
    for x0, y0, dx, dy in passes if interlaced else [(0, 0, 1, 1)]:
        sub = pixels[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        prev = None
        for row in sub:
            data = row.tobytes()
            raw.append(turn % 5)
            raw += filter_row(turn % 5, data, prev, 3)
            prev = data
            turn += 1
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1 if interlaced else 0)
    body = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    with open(path, "wb") as f:
        f.write(body + png_chunk(b"IEND", b""))


def main():
    base = Image.fromarray(scene(37, 23))
    jpeg("jpeg-420-37x23", base, quality=90, subsampling=2)
    jpeg("jpeg-444", base, quality=90, subsampling=0)
    jpeg("jpeg-422", base, quality=90, subsampling=1)
    jpeg("jpeg-progressive", Image.fromarray(scene(45, 31, seed=2)), quality=85, progressive=True, subsampling=2)
    jpeg("jpeg-gray", base.convert("L"), quality=90)
    jpeg("jpeg-restart", Image.fromarray(scene(64, 40, seed=3)), quality=90, restart_marker_blocks=3)
    jpeg("jpeg-cmyk", base.convert("CMYK"), quality=95)
    exif = Image.Exif()
    exif[0x0112] = 6
    jpeg("jpeg-exif-rotated", base, quality=90, exif=exif.tobytes())

    rgb = scene(33, 21, seed=4)
    Image.fromarray(rgb).save(os.path.join(here, "png-rgb.png"))
    save_rgb("png-rgb", rgb)

    alpha = np.tile(np.linspace(0, 255, 33).astype(np.uint8), (21, 1))
    Image.fromarray(np.dstack([rgb, alpha])).save(os.path.join(here, "png-rgba.png"))
    save_rgb("png-rgba", over_white(rgb, alpha))

    palette_image = Image.fromarray(rgb).quantize(colors=16)
    transparency = bytes([0, 128] + [255] * 14)
    palette_image.save(os.path.join(here, "png-palette-trns.png"), transparency=transparency, bits=4)
    reread = Image.open(os.path.join(here, "png-palette-trns.png"))
    indices = np.asarray(reread)
    palette = np.array(reread.getpalette()[:48], dtype=np.uint8).reshape(16, 3)
    save_rgb("png-palette-trns", over_white(palette[indices], np.frombuffer(transparency, np.uint8)[indices]))

    gray16 = (np.linspace(0, 65535, 33 * 21).reshape(21, 33)).astype(np.uint16)
    Image.fromarray(gray16).save(os.path.join(here, "png-gray16.png"))
    assert Image.open(os.path.join(here, "png-gray16.png")).mode.startswith("I")
    high = (gray16 >> 8).astype(np.uint8)
    save_rgb("png-gray16", np.dstack([high, high, high]))

    write_png_rgb(os.path.join(here, "png-interlaced.png"), rgb, interlaced=True)
    save_rgb("png-interlaced", rgb)

    bits = (rgb[..., 0] > 128)
    Image.fromarray(bits).convert("1").save(os.path.join(here, "png-1bit.png"))
    one = np.where(np.asarray(Image.open(os.path.join(here, "png-1bit.png")).convert("L")) > 0, 255, 0).astype(np.uint8)
    save_rgb("png-1bit", np.dstack([one, one, one]))

    la = np.dstack([rgb[..., 1], alpha])
    Image.fromarray(la, "LA").save(os.path.join(here, "png-gray-alpha.png"))
    g = over_white(np.dstack([rgb[..., 1]] * 3), alpha)
    save_rgb("png-gray-alpha", g)

    # The bench's pair: the JPEG with a photo's grain (about 160 KB at quality 90, like a real 1024x768 photo);
    # the PNG of the same scene without the grain, which no PNG of a photo compresses below 1 MB.
    Image.fromarray(scene(1024, 768, seed=7)).save(os.path.join(here, "bench-1024x768.jpg"), "JPEG", quality=90)
    smooth = scene(1024, 768, seed=7, texture=0)
    Image.fromarray(smooth).save(os.path.join(here, "bench-1024x768.png"), optimize=True)
    for name in ["bench-1024x768.jpg", "bench-1024x768.png"]:
        print(name, os.path.getsize(os.path.join(here, name)))


main()
