import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { uploadPageRoot } from './upload-page-root.js';

/**
 * The upload page at `/` with its script, style and favicon, as static files. The render path is `/`
 * alone, not the SPA catch-all: any other path that is not a file (the API, /docs, /health, a typo)
 * keeps Nest's own answer, and POST / stays the CSE546 route (static files answer GET and HEAD only).
 * Its Content-Security-Policy is helmet's, set for every answer (nest-web/http/security-headers.ts).
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: uploadPageRoot(),
      renderPath: '/',
      serveStaticOptions: { redirect: false },
    }),
  ],
})
export class UiModule {}
