import { mapWithLimit } from '#core/concurrency/map-with-limit.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapWithLimit', () => {
  it('keeps the items’ order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const task = async (item: number) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      return item * 2;
    };

    // Act
    const results = await mapWithLimit([1, 2, 3, 4, 5, 6, 7], 3, task);

    // Assess
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(most).toBe(3);
  });

  it('rejects with the first failure and starts no task after it', async () => {
    // Prepare
    const started: number[] = [];
    const task = async (item: number) => {
      started.push(item);
      await tick();
      if (item === 2) throw new Error('store failed');
      return item;
    };

    // Act
    const failure = await mapWithLimit([1, 2, 3, 4, 5, 6], 2, task).catch((error: unknown) => error);

    // Assess
    expect((failure as Error).message).toBe('store failed');
    expect(started.length).toBeLessThan(6);
  });

  it('answers an empty list at once', async () => {
    expect(await mapWithLimit([], 4, async () => 1)).toEqual([]);
  });
});
