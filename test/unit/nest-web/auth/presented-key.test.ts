import { presentedKey } from '#web/auth/presented-key.js';

describe('presentedKey', () => {
  it.each([
    ['a bearer token', { authorization: 'Bearer abc.def' }, 'abc.def'],
    ['a bearer token, scheme in any case', { authorization: 'bearer abc' }, 'abc'],
    ['an X-Api-Key header', { 'x-api-key': ' abc ' }, 'abc'],
    ['both: the bearer token wins', { authorization: 'Bearer one', 'x-api-key': 'two' }, 'one'],
    ['Basic credentials: no key', { authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    ['a bearer scheme with no token', { authorization: 'Bearer ' }, undefined],
    ['a token with a space inside', { authorization: 'Bearer a b' }, undefined],
    ['an empty X-Api-Key', { 'x-api-key': '' }, undefined],
    ['nothing', {}, undefined],
  ])('reads %s', (_story, headers, expected) => {
    expect(presentedKey(headers)).toBe(expected);
  });
});
