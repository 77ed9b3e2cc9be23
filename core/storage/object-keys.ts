/** Key of an uploaded image in the input bucket: derived from the job id only, never the client's name. */
export function inputKeyFor(jobId: string): string {
  return `uploads/${jobId}`;
}

/** Key of a job's result record in the output bucket. */
export function resultKeyFor(jobId: string): string {
  return `results/${jobId}.json`;
}

/** S3 user-metadata key under which the input object keeps the (sanitised) client file name. */
export const FILENAME_METADATA_KEY = 'filename';

/** S3 user-metadata key under which the input object keeps its submission time. */
export const SUBMITTED_AT_METADATA_KEY = 'submitted-at';
