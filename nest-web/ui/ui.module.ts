import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { uploadPageRoot } from './upload-page-root.js';

const STRICT_CSP =
  "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

/**
 * The upload page at `/` with its script, style and favicon, as static files. The render path is `/`
 * alone, not the SPA catch-all: any other path that is not a file (the API, /docs, /health, a typo)
 * keeps Nest's own answer, and POST / stays the CSE546 route (static files answer GET and HEAD only).
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: uploadPageRoot(),
      renderPath: '/',
      serveStaticOptions: { redirect: false, setHeaders: restrictPage },
    }),
  ],
})
export class UiModule {}

function restrictPage(response: Response, file: string): void {
  if (file.endsWith('.html')) response.setHeader('Content-Security-Policy', STRICT_CSP);
}
