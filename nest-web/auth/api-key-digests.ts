import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The accepted API keys, held only as their SHA-256 digests. A presented key is hashed and compared
 * with every digest in constant time, with no early exit on a match, so the answer's timing tells
 * nothing about which digest, or how much of one, a guess matched.
 */
export class ApiKeyDigests {
  private readonly digests: readonly Buffer[];

  constructor(hexDigests: readonly string[]) {
    this.digests = hexDigests.map((digest) => Buffer.from(digest, 'hex'));
  }

  /** Whether any key is configured: with none, no route asks for one. */
  get configured(): boolean {
    return this.digests.length > 0;
  }

  /** The digest (hex) of `key` when it is an accepted key, else undefined. */
  match(key: string): string | undefined {
    const presented = createHash('sha256').update(key, 'utf8').digest();
    let matched: Buffer | undefined;
    for (const digest of this.digests) {
      const equal = timingSafeEqual(presented, digest);
      matched = equal ? digest : matched;
    }
    return matched?.toString('hex');
  }
}
