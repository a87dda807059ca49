#!/usr/bin/env bash
# Makes the image fixtures of the provenance tests with real encoders. Run once by hand; the outputs are committed
# and CI never runs this. Needs cwebp/dwebp (libwebp 1.2.4), cjpeg (libjpeg-turbo 2.1.5), exiftool (12.57), python3.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A 24x16 gradient, opaque (PPM) and with a varying alpha (PAM): the encoders' input.
python3 - "$work" <<'PY'
import sys
w, h = 24, 16
rgb, rgba = bytearray(), bytearray()
for y in range(h):
    for x in range(w):
        r, g, b = (x * 10) % 256, (y * 15) % 256, ((x + y) * 7) % 256
        rgb += bytes([r, g, b]); rgba += bytes([r, g, b, (x * y * 3) % 256])
open(sys.argv[1] + '/src.ppm', 'wb').write(b'P6\n%d %d\n255\n' % (w, h) + rgb)
open(sys.argv[1] + '/src.pam', 'wb').write(b'P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n' % (w, h) + rgba)
PY

cwebp -quiet -q 80 "$work/src.ppm" -o lossy.webp            # simple lossy: one VP8 chunk
cwebp -quiet -lossless "$work/src.ppm" -o lossless.webp     # simple lossless: one VP8L chunk
cwebp -quiet -lossless "$work/src.pam" -o lossless-alpha.webp # simple lossless whose bitstream says alpha is used
cwebp -quiet -q 80 "$work/src.pam" -o lossy-alpha.webp      # extended: VP8X, ALPH, VP8
dwebp -quiet lossless-alpha.webp -o image.png               # libpng, through dwebp: RGBA
cjpeg -quality 85 "$work/src.ppm" > image.jpg               # JFIF (APP0), baseline

# Metadata already there, written by exiftool.
exiftool -q -Make=FixtureCam -Model=Fixture-1 -o exif.jpg image.jpg                                  # APP0, APP1 Exif
exiftool -q -JFIF:all= -o nojfif.jpg image.jpg                                                       # no APP0 at all
exiftool -q -XMP-dc:Title="An existing title" -XMP-dc:Description="An older description" -XMP-dc:Creator="Someone" -o xmp.jpg exif.jpg
exiftool -q -XMP-dc:Title="An existing title" -XMP-dc:Description="An older description" -o xmp.png image.png
# exiftool cannot write WebP: webpmux (libwebp 1.2.4) sets the XMP chunk of a packet exiftool wrote.
exiftool -q -XMP-dc:Title="An existing title" -XMP-dc:Description="An older description" -o "$work/existing.xmp"
webpmux -set xmp "$work/existing.xmp" lossy.webp -o xmp.webp
# A Stable Diffusion web UI's record: a PNG text "parameters" (exiftool writes that keyword once told it exists).
cat > "$work/parameters.config" <<'PL'
%Image::ExifTool::UserDefined = ('Image::ExifTool::PNG::TextualData' => { parameters => { } });
1;
PL
exiftool -config "$work/parameters.config" -q -PNG:parameters="a castle at dusk, oil painting
Negative prompt: blurry
Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1234, Size: 512x768, Model: sd_xl_base_1.0" -o parameters.png image.png

# Content Credentials: a C2PA manifest store is signed JUMBF; these carry dummy JUMBF bytes (a jumb box whose jumd
# label is "c2pa", no signature) in the place each format puts it, inserted by hand, which is all a reader detects.
python3 - <<'PY'
import struct, zlib
jumd = b'c2pa' + bytes(12) + b'\x03' + b'c2pa\x00'          # UUID-ish type, toggles, label "c2pa"
jumb = struct.pack('>I', 8 + 8 + len(jumd)) + b'jumb' + struct.pack('>I', 8 + len(jumd)) + b'jumd' + jumd
# PNG: a caBX chunk after IHDR.
png = open('image.png', 'rb').read()
chunk = struct.pack('>I', len(jumb)) + b'caBX' + jumb + struct.pack('>I', zlib.crc32(b'caBX' + jumb))
open('c2pa.png', 'wb').write(png[:33] + chunk + png[33:])
# JPEG: an APP11 segment (common identifier JP, instance 1, sequence 1, then the box) after APP0.
jpg = open('image.jpg', 'rb').read()
app0 = 4 + struct.unpack('>H', jpg[4:6])[0]
payload = b'JP' + struct.pack('>HI', 1, 1) + jumb
open('c2pa.jpg', 'wb').write(jpg[:app0] + b'\xff\xeb' + struct.pack('>H', 2 + len(payload)) + payload + jpg[app0:])
# WebP: a C2PA chunk after the image chunks of an extended file, RIFF size patched.
webp = open('lossy-alpha.webp', 'rb').read()
body = webp[12:] + b'C2PA' + struct.pack('<I', len(jumb)) + jumb + (b'\x00' if len(jumb) % 2 else b'')
open('c2pa.webp', 'wb').write(b'RIFF' + struct.pack('<I', 4 + len(body)) + b'WEBP' + body)
PY
