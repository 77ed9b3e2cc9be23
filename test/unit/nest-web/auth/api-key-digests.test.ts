import { createHash } from 'node:crypto';
import { ApiKeyDigests } from '#web/auth/api-key-digests.js';

const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');

describe('ApiKeyDigests', () => {
  const digests = new ApiKeyDigests([digestOf('key-one'), digestOf('key-two')]);

  it.each([
    ['the first key', 'key-one', digestOf('key-one')],
    ['the last key (every digest is compared)', 'key-two', digestOf('key-two')],
    ['an unknown key', 'key-three', undefined],
    ['a key differing in case', 'KEY-ONE', undefined],
    ['a digest presented as if it were the key', digestOf('key-one'), undefined],
    ['an empty key', '', undefined],
  ])('matches %s to its digest, or to none', (_story, key, expected) => {
    expect(digests.match(key)).toBe(expected);
  });

  it('says whether any key is configured', () => {
    expect(digests.configured).toBe(true);
    expect(new ApiKeyDigests([]).configured).toBe(false);
    expect(new ApiKeyDigests([]).match('anything')).toBeUndefined();
  });
});
