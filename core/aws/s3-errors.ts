/** True when an SDK error says an S3 object or bucket is absent. */
export function isMissingObjectError(error: unknown): boolean {
  const typed = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return typed?.name === 'NoSuchKey' || typed?.name === 'NotFound' || typed?.$metadata?.httpStatusCode === 404;
}
