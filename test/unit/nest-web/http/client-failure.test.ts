import { clientFailure } from '#web/http/client-failure.js';

describe('clientFailure', () => {
  it("keeps the worker's own account of an image", () => {
    // Prepare
    const failure = { code: 'undecodable_image', message: 'cannot decode image: premature end of JPEG' } as const;

    // Act + Assess
    expect(clientFailure(failure)).toEqual(failure);
  });

  it("replaces a last try's error, which may be an SDK message naming the account, with a fixed sentence", () => {
    // Prepare
    const failure = {
      code: 'retries_exhausted',
      message:
        'reading the upload failed on every try; last error: AccessDenied: User: arn:aws:sts::123456789012:' +
        'assumed-role/glimpse-worker/i-0abc is not authorized to perform: s3:GetObject',
    } as const;

    // Act
    const shown = clientFailure(failure);

    // Assess
    expect(shown.code).toBe('retries_exhausted');
    expect(shown.message).not.toMatch(/arn:|123456789012|AccessDenied/);
  });
});
