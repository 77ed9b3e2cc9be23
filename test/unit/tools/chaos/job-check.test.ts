import { checkJobs } from '#tools/chaos/job-check.js';
import type { UploadRecord, WebClient } from '#tools/chaos/upload-flows.js';
import { answerReply, answered, item, jobId, noAnswer } from './fixtures.js';

describe('checkJobs', () => {
  it('reads every job with an id once, and keeps the views it could read', async () => {
    // Prepare
    const read: string[] = [];
    const client: WebClient = {
      submit: async () => noAnswer(true),
      read: async (id) => {
        read.push(id);
        return id === jobId(1) ? noAnswer(true) : answerReply(200, item(Number(id.slice(-12)), 'a.JPEG'));
      },
    };
    const records: UploadRecord[] = [
      answered(0, 'a.JPEG'),
      { upload: 1, filename: 'a.JPEG', sentAtMs: 0, jobId: jobId(1), sends: 1 },
      { upload: 2, filename: 'a.JPEG', sentAtMs: 0, error: 'socket hang up', sends: 1 },
    ];

    // Act
    const sightings = await checkJobs(client, records);

    // Assess
    expect(read.sort()).toEqual([jobId(0), jobId(1)]);
    expect(sightings).toEqual([{ upload: 0, item: item(0, 'a.JPEG'), via: 'check' }]);
  });
});
