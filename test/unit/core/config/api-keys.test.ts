import { loadApiKeyDigests } from '#core/config/api-keys.js';
import { ConfigError } from '#core/errors.js';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

/** A file reader over one in-memory file, `missing` for any other path. */
function files(contents: Record<string, string>): (file: string) => string {
  return (file) => {
    const text = contents[file];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return text;
  };
}

/** The issues of the ConfigError `load` throws. */
function issuesOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadApiKeyDigests', () => {
  it('gives no digest when neither source is set (no key asked for)', () => {
    expect(loadApiKeyDigests({})).toEqual([]);
  });

  it('reads a comma-separated list, lowercased, repeats dropped', () => {
    expect(loadApiKeyDigests({ listed: ` ${A} ,${B},${A}` })).toEqual([A, B.toLowerCase()]);
  });

  it('reads a file of one digest a line, skipping comments and blank lines, together with the list', () => {
    // Prepare
    const read = files({ '/keys': `# clients\n\n${B}   # client B\r\n  \n` });

    // Act
    const digests = loadApiKeyDigests({ listed: A, file: '/keys' }, read);

    // Assess
    expect(digests).toEqual([A, B.toLowerCase()]);
  });

  it.each([
    ['a key instead of a digest in the list', { listed: `${A},not-a-digest` }, ['GLIMPSE_API_KEYS item 2']],
    ['an empty item in the list', { listed: `${A},,` }, ['GLIMPSE_API_KEYS item 2', 'GLIMPSE_API_KEYS item 3']],
    ['a bad line of the file, named by its number', { file: '/keys' }, ['GLIMPSE_API_KEYS_FILE /keys line 3']],
    ['a file that cannot be read', { file: '/nowhere' }, ['GLIMPSE_API_KEYS_FILE /nowhere cannot be read (ENOENT)']],
    ['a file with no digest (a deployment would run open)', { file: '/empty' }, ['/empty holds no digest']],
  ])('refuses %s', (_story, sources, expected) => {
    // Prepare
    const read = files({ '/keys': `${A}\n# ok\n${'g'.repeat(64)}\n`, '/empty': '# nothing yet\n\n' });

    // Act
    const issues = issuesOf(() => loadApiKeyDigests(sources, read));

    // Assess
    expect(issues).toHaveLength(expected.length);
    expected.forEach((fragment, i) => expect(issues[i]).toContain(fragment));
  });

  it('never repeats a refused value in the message (it may be a key)', () => {
    expect(issuesOf(() => loadApiKeyDigests({ listed: 'sk-live-secret' })).join('\n')).not.toContain('sk-live');
  });
});
