import { mapConcurrently } from '#tools/shared/concurrency.js';

describe('mapConcurrently', () => {
  it('keeps at most `concurrency` tasks in flight and the results in input order', async () => {
    // Prepare: tasks that finish in reverse order of start
    let inFlight = 0;
    let most = 0;
    const task = async (item: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 10 - item; i++) await Promise.resolve();
      inFlight--;
      return item * 10;
    };

    // Act
    const results = await mapConcurrently([1, 2, 3, 4, 5, 6, 7], 3, task);

    // Assess
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it('runs nothing for no items', async () => {
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
  });
});
