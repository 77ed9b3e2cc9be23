import type { RequestHandler } from 'express';
import helmet, { contentSecurityPolicy } from 'helmet';

type Directives = Record<string, readonly string[]>;

/** Every answer's policy: the API's JSON and the upload page (its previews are `blob:` URLs). */
const STRICT: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
};

/** Swagger UI's page writes inline styles and draws `data:` images and fonts; it runs no inline script. */
const DOCS: Directives = {
  ...STRICT,
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
};

/** The path Swagger UI and the OpenAPI document are served under. */
export const DOCS_PATH = 'docs';

/**
 * helmet on every answer, with {@link STRICT} as its Content-Security-Policy; mounted at
 * `/{DOCS_PATH}`, the second handler relaxes it for Swagger UI only. HSTS is left to the TLS
 * terminator (the Heat install's nginx): this process speaks plain HTTP on loopback.
 */
export function securityHeaders(): { readonly everywhere: RequestHandler; readonly docs: RequestHandler } {
  return {
    everywhere: helmet({
      contentSecurityPolicy: { useDefaults: false, directives: STRICT },
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
    }) as RequestHandler,
    docs: contentSecurityPolicy({ useDefaults: false, directives: DOCS }) as RequestHandler,
  };
}
