import { keyRequired, type KeyPolicy } from '#web/auth/key-policy.js';

describe('keyRequired', () => {
  it.each<[string, KeyPolicy, boolean, boolean, boolean]>([
    ['no key configured: nothing asks (the local default)', 'required', false, false, false],
    ['an API route with keys', 'required', true, false, true],
    ['health with keys', 'open', true, true, false],
    ['POST / with keys, open by default', 'cse546', true, false, false],
    ['POST / with keys and GLIMPSE_CSE546_REQUIRES_KEY', 'cse546', true, true, true],
  ])('%s', (_story, policy, keysConfigured, cse546RequiresKey, expected) => {
    expect(keyRequired(policy, { keysConfigured, cse546RequiresKey })).toBe(expected);
  });
});
