import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { uploadPageRoot } from './upload-page-root.js';
import { UPLOT_PATH, uplotRoot } from './vendor-root.js';

/**
 * The upload page at `/` and the live dashboard at `/dashboard` (`dashboard.html`: static files try
 * the `.html` extension), with their scripts, styles and favicon, as static files; and uPlot, the
 * dashboard's charts, under `/vendor/uplot` from its package. The render path is `/` alone, not the
 * SPA catch-all: any other path that is not a file (the API, /docs, /health, a typo) keeps Nest's
 * own answer, and POST / stays the CSE546 route (static files answer GET and HEAD only). Their
 * Content-Security-Policy is helmet's, set for every answer (nest-web/http/security-headers.ts).
 */
@Module({
  imports: [
    ServeStaticModule.forRoot(
      {
        rootPath: uploadPageRoot(),
        renderPath: '/',
        serveStaticOptions: { redirect: false, extensions: ['html'] },
      },
      {
        rootPath: uplotRoot(),
        serveRoot: UPLOT_PATH,
        serveStaticOptions: { redirect: false, index: false },
      },
    ),
  ],
})
export class UiModule {}
