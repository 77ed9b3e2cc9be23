import type { Reply } from '#tools/chaos/upload-client.js';
import { uploadAndPoll, uploadAndWait, type FlowContext, type Sighting } from '#tools/chaos/upload-flows.js';
import { answerReply, item, jobId, noAnswer } from './fixtures.js';

const IMAGE = ['a.JPEG', new Uint8Array([1, 2, 3])] as const;

/** A web client answering from scripted replies, in order (the last one repeats), and what it was asked. */
function scriptedContext(submits: Reply[], reads: Reply[] = [], waitSeconds = 5) {
  const asked = { submits: [] as number[], reads: 0, firstSends: 0 };
  const sightings: Sighting[] = [];
  const next = (replies: Reply[]) => (replies.length > 1 ? replies.shift()! : replies[0]!);
  const context: FlowContext = {
    client: {
      submit: async (_filename, _bytes, wait) => {
        asked.submits.push(wait);
        return next(submits);
      },
      read: async () => {
        asked.reads++;
        return next(reads);
      },
    },
    waitSeconds,
    pollMs: 5,
    now: () => 7,
    onFirstSend: () => asked.firstSends++,
    sight: (sighting) => sightings.push(sighting),
  };
  return { context, asked, sightings };
}

describe('uploadAndWait (the waiting protocol)', () => {
  it('takes a 200 as the answer, sent once with ?wait=W', async () => {
    // Prepare
    const { context, asked, sightings } = scriptedContext([answerReply(200, item(0, 'a.JPEG'))]);

    // Act
    const record = await uploadAndWait(context, 3, IMAGE);

    // Assess
    expect(record).toMatchObject({ upload: 3, filename: 'a.JPEG', jobId: jobId(0), answer: { status: 'done' } });
    expect(record.ms).toBeGreaterThanOrEqual(0);
    expect(asked).toEqual({ submits: [5], reads: 0, firstSends: 1 });
    expect(sightings.map((s) => s.via)).toEqual(['upload']);
  });

  it('keeps the job id of a 202 without an answer, and an error for a dropped connection', async () => {
    const queued = await uploadAndWait(
      scriptedContext([answerReply(202, item(0, 'a.JPEG', 1, 'queued'))]).context,
      0,
      IMAGE,
    );
    const dropped = await uploadAndWait(scriptedContext([noAnswer(false)]).context, 0, IMAGE);

    expect(queued).toEqual({ upload: 0, filename: 'a.JPEG', sentAtMs: 7, sends: 1, jobId: jobId(0) });
    expect(dropped).toEqual({ upload: 0, filename: 'a.JPEG', sentAtMs: 7, sends: 1, error: 'fetch failed' });
  });

  it('records a refusal with its status and text', async () => {
    const record = await uploadAndWait(scriptedContext([answerReply(503)]).context, 0, IMAGE);

    expect(record.refusal).toEqual({ status: 503, text: 'error' });
  });
});

describe('uploadAndPoll (the polling protocol, for a restart)', () => {
  it('sends again while the stack refuses or is stopping, then polls the job until it is done', async () => {
    // Prepare
    const { context, asked, sightings } = scriptedContext(
      [noAnswer(true), answerReply(503), answerReply(202, item(0, 'a.JPEG', 1, 'queued'))],
      [
        noAnswer(true),
        answerReply(404),
        answerReply(200, item(0, 'a.JPEG', 1, 'queued')),
        answerReply(200, item(0, 'a.JPEG')),
      ],
    );

    // Act
    const record = await uploadAndPoll(context, 0, IMAGE);

    // Assess
    expect(record).toMatchObject({ sends: 3, jobId: jobId(0), answer: { status: 'done' } });
    expect(asked).toEqual({ submits: [0, 0, 0], reads: 4, firstSends: 1 });
    expect(sightings.map((s) => [s.via, s.item.status])).toEqual([
      ['upload', 'queued'],
      ['poll', 'done'],
    ]);
  });

  it('gives up at the end of the wait: lost with its job id, or with the last error when never accepted', async () => {
    // Prepare
    const queued = scriptedContext(
      [answerReply(202, item(0, 'a.JPEG', 1, 'queued'))],
      [answerReply(200, item(0, 'a.JPEG', 1, 'queued'))],
      0.05,
    );
    const down = scriptedContext([noAnswer(true)], [], 0.05);

    // Act
    const stillQueued = await uploadAndPoll(queued.context, 0, IMAGE);
    const neverAccepted = await uploadAndPoll(down.context, 0, IMAGE);

    // Assess
    expect(stillQueued).toMatchObject({ jobId: jobId(0), sends: 1 });
    expect(stillQueued.answer).toBeUndefined();
    expect(neverAccepted).toMatchObject({ error: 'fetch failed' });
    expect(neverAccepted.sends).toBeGreaterThan(1);
    expect(neverAccepted.jobId).toBeUndefined();
  });

  it('does not send again an upload the stack refused for good (a 4xx)', async () => {
    const { context, asked } = scriptedContext([answerReply(415)]);

    expect((await uploadAndPoll(context, 0, IMAGE)).refusal?.status).toBe(415);
    expect(asked.submits).toEqual([0]);
  });
});
