import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * When a route asks for an API key (only ever when keys are configured): `required` always (every
 * route that declares nothing), `open` never, `cse546` only with `GLIMPSE_CSE546_REQUIRES_KEY`.
 */
export type KeyPolicy = 'required' | 'open' | 'cse546';

export const KEY_POLICY = 'glimpse:key-policy';

/** The OpenAPI security schemes a key is sent under (openapi.ts declares them). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

const UNAUTHORIZED =
  'No valid API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>` (asked for when the server is ' +
  'configured with keys, `GLIMPSE_API_KEYS` or `GLIMPSE_API_KEYS_FILE`). The answer carries ' +
  '`WWW-Authenticate: Bearer`.';

/** Whether a route with `policy` asks for a key on a server with these settings. */
export function keyRequired(
  policy: KeyPolicy,
  settings: { readonly keysConfigured: boolean; readonly cse546RequiresKey: boolean },
): boolean {
  if (!settings.keysConfigured || policy === 'open') return false;
  return policy === 'required' || settings.cse546RequiresKey;
}

/** The routes of the API: a key is asked for whenever keys are configured. Documents the schemes and the 401. */
export function RequiresApiKey(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(KEY_POLICY, 'required' satisfies KeyPolicy),
    ApiSecurity(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiUnauthorizedResponse({ description: UNAUTHORIZED }),
  );
}

/** The CSE546 route: open (the course clients send no key) unless `GLIMPSE_CSE546_REQUIRES_KEY=true`. */
export function Cse546KeyPolicy(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(KEY_POLICY, 'cse546' satisfies KeyPolicy),
    // `{}` first: OpenAPI's way of saying that sending no credential is allowed too.
    ApiSecurity({}),
    ApiSecurity(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiUnauthorizedResponse({ description: `Only with \`GLIMPSE_CSE546_REQUIRES_KEY=true\`. ${UNAUTHORIZED}` }),
  );
}

/** A route anyone may call, keys or not (health, for the load balancer and probes). */
export function NoApiKey(): ClassDecorator & MethodDecorator {
  return SetMetadata(KEY_POLICY, 'open' satisfies KeyPolicy);
}
