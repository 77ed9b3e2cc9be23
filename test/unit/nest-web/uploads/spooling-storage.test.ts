import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import sharp from 'sharp';
import { ImageTooLargeError, RequestTooLargeError, UnsupportedImageError } from '#web/errors.js';
import { SpoolFolder } from '#web/uploads/spool-folder.js';
import { SpoolingStorage, type SpoolingLimits } from '#web/uploads/spooling-storage.js';
import { pngHeader } from '../../../support/images.js';

const KiB = 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

/** A file stream of `chunks` chunks of 64 KiB made on demand, `first` at its start; counts what was read. */
function lazyStream(first: Buffer, chunks: number, { endless = false } = {}) {
  const counter = { pulled: 0 };
  const stream = new Readable({
    read() {
      if (counter.pulled === chunks && !endless) return void this.push(null);
      if (counter.pulled === chunks) return;
      const chunk = Buffer.alloc(64 * KiB);
      if (counter.pulled === 0) first.copy(chunk);
      counter.pulled++;
      this.push(chunk);
    },
  });
  return { stream, counter };
}

/** One request as multer hands it to the engine: the request, its response, and a way to close it. */
function exchange() {
  const response = Object.assign(new EventEmitter(), { closed: false });
  const request = { res: response } as unknown as Request;
  const close = () => {
    response.closed = true;
    response.emit('close');
  };
  return { request, close };
}

function handle(engine: SpoolingStorage, request: Request, stream: Readable, name = 'photo.jpg') {
  const file = { originalname: name, mimetype: 'application/octet-stream', stream } as Express.Multer.File;
  return new Promise<Partial<Express.Multer.File>>((resolve, reject) =>
    engine._handleFile(request, file, (error, info) => (error ? reject(error) : resolve(info!))),
  );
}

describe('SpoolingStorage', () => {
  let parent: string;
  let limits: SpoolingLimits;
  /** The files in the app's spool folder. */
  const spooledFiles = async () => readdir(limits.root.path).catch(() => []);
  /** The spooled files once removal (which runs after the response closed) is done; 2 s at most. */
  const spooledFilesSettled = async () => {
    for (let tries = 0; tries < 200 && (await spooledFiles()).length > 0; tries++) await sleep(10);
    return spooledFiles();
  };

  beforeEach(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-uploads-'));
    limits = { root: new SpoolFolder(parent), maxRequestBytes: 1024 * KiB, maxInputPixels: 40_000_000 };
  });
  afterEach(async () => rm(parent, { recursive: true, force: true }));

  it('refuses a non-image on its first bytes, without reading the rest or writing anything', async () => {
    // Prepare
    const { request } = exchange();
    const { stream, counter } = lazyStream(Buffer.from('%PDF-1.7\n'), 100);

    // Act
    const refusal = await handle(new SpoolingStorage(limits), request, stream, 'report.pdf').catch((e: unknown) => e);

    // Assess
    expect(refusal).toBeInstanceOf(UnsupportedImageError);
    expect((refusal as Error).message).toMatch(/^report\.pdf is not a supported image/);
    expect(counter.pulled).toBeLessThan(5);
    expect(await spooledFiles()).toEqual([]);
  });

  it('streams an image to disk with its sniffed type, and removes it when the response closes', async () => {
    // Prepare
    const { request, close } = exchange();
    const { stream } = lazyStream(JPEG_SIGNATURE, 8);

    // Act
    const info = await handle(new SpoolingStorage(limits), request, stream);
    const stored = await readFile(info.path!);
    close();

    // Assess
    expect(info).toMatchObject({ size: 8 * 64 * KiB, mimetype: 'image/jpeg' });
    expect(stored.length).toBe(8 * 64 * KiB);
    expect(stored.subarray(0, 4)).toEqual(JPEG_SIGNATURE);
    expect(await spooledFilesSettled()).toEqual([]);
  });

  it('refuses the file that takes the request past its cap and removes its partial copy', async () => {
    // Prepare
    const engine = new SpoolingStorage({ ...limits, maxRequestBytes: 10 * 64 * KiB });
    const { request } = exchange();
    const first = await handle(engine, request, lazyStream(JPEG_SIGNATURE, 6).stream);
    const { stream, counter } = lazyStream(JPEG_SIGNATURE, 100);

    // Act
    const refusal = await handle(engine, request, stream).catch((e: unknown) => e);

    // Assess
    expect(refusal).toBeInstanceOf(RequestTooLargeError);
    expect(counter.pulled).toBeLessThan(10);
    expect(await spooledFiles()).toEqual([path.basename(first.path!)]);
  });

  it('refuses an image whose header declares more pixels than allowed, naming it and its size', async () => {
    // Prepare
    const { request } = exchange();
    const bomb = Readable.from([pngHeader(65_000, 65_000)]);

    // Act
    const refusal = await handle(new SpoolingStorage(limits), request, bomb, 'bomb.png').catch((e: unknown) => e);

    // Assess
    expect(refusal).toBeInstanceOf(ImageTooLargeError);
    expect((refusal as ImageTooLargeError).httpStatus).toBe(422);
    expect((refusal as ImageTooLargeError).details).toEqual({
      code: 'image_too_large',
      filename: 'bomb.png',
      width: 65_000,
      height: 65_000,
      maxInputPixels: 40_000_000,
    });
  });

  it.each([
    [
      'a real PNG within the limit',
      () =>
        sharp({ create: { width: 64, height: 48, channels: 3, background: '#123' } })
          .png()
          .toBuffer(),
    ],
    [
      'a JPEG whose header does not parse (the worker answers it as failed)',
      async () => Buffer.concat([JPEG_SIGNATURE, Buffer.alloc(5000)]),
    ],
  ])('accepts %s', async (_name, bytes) => {
    // Prepare
    const { request } = exchange();

    // Act
    const info = await handle(new SpoolingStorage(limits), request, Readable.from([await bytes()]));

    // Assess
    expect(info.mimetype).toMatch(/^image\//);
  });

  it('stops a file still arriving when the client goes away, and removes it', async () => {
    // Prepare
    const { request, close } = exchange();
    const { stream } = lazyStream(JPEG_SIGNATURE, 3, { endless: true });
    const spooling = handle(new SpoolingStorage(limits), request, stream).catch((e: unknown) => e);
    while ((await spooledFiles()).length === 0) await sleep(10);

    // Act
    close();
    const outcome = await spooling;

    // Assess
    expect((outcome as Error).name).toBe('AbortError');
    expect(await spooledFilesSettled()).toEqual([]);
  });
});
