/** True when an SDK error says an S3 object or bucket is absent. */
export function isMissingObjectError(error: unknown): boolean {
  const typed = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return typed?.name === 'NoSuchKey' || typed?.name === 'NotFound' || typed?.$metadata?.httpStatusCode === 404;
}

/** True when S3 refused a conditional write because its condition did not hold (HTTP 412). */
export function isPreconditionFailedError(error: unknown): boolean {
  const typed = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return typed?.name === 'PreconditionFailed' || typed?.$metadata?.httpStatusCode === 412;
}

/** The request's answer, or `undefined` when S3 says the object is absent; other errors propagate. */
export async function unlessMissing<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isMissingObjectError(error)) return undefined;
    throw error;
  }
}
