import type { PolicyModel } from '#tools/simulate/policies.js';
import { SimulatedFleet } from '#tools/simulate/simulated-fleet.js';

const model: PolicyModel = {
  bootSeconds: 10,
  workerRequestsPerSecond: 2,
  idleExitSeconds: 30,
  maxWorkers: 2,
  tickSeconds: 5,
  targetDrainSeconds: 30,
};

describe('SimulatedFleet', () => {
  it('launches no more than max workers, booting until bootSeconds have passed', () => {
    const fleet = new SimulatedFleet(model, []);

    fleet.launch(5, 0);

    expect(fleet.launches).toBe(2);
    expect(fleet.view(9.9).map((worker) => worker.state)).toEqual(['pending', 'pending']);
    expect(fleet.view(10).map((worker) => worker.state)).toEqual(['running', 'running']);
  });

  it('serves the queue back to back once ready, and records each latency from arrival', () => {
    // Prepare: three requests waiting at 0, one worker ready at 10, 0.5 s per request
    const queue = [0, 0, 0];
    const fleet = new SimulatedFleet({ ...model, maxWorkers: 1 }, queue);
    fleet.launch(1, 0);

    // Act
    for (const now of [10, 10.5, 11, 11.5]) fleet.serve(now, 0.1);

    // Assess
    expect(fleet.latencies).toEqual([10.5, 11, 11.5]);
    expect(queue).toEqual([]);
    expect(fleet.busy()).toBe(0);
  });

  it('puts a terminated busy worker’s request back at the head of the queue', () => {
    const queue = [3, 4];
    const fleet = new SimulatedFleet({ ...model, maxWorkers: 1 }, queue);
    fleet.launch(1, 0);
    fleet.serve(10, 0.1);
    expect(fleet.busy()).toBe(1);

    fleet.terminate(['w1', 'w-unknown'], 10.1);

    expect(queue).toEqual([3, 4]);
    expect(fleet.live()).toEqual([]);
  });

  it('exits an idle worker when its timer runs out and bills it from launch to exit', () => {
    const fleet = new SimulatedFleet(model, []);
    fleet.launch(1, 0);

    fleet.exitIdle(39.9, model.idleExitSeconds);
    const liveBefore = fleet.live().length;
    fleet.exitIdle(40.2, model.idleExitSeconds);

    expect(liveBefore).toBe(1);
    expect(fleet.live()).toEqual([]);
    expect(fleet.workerSeconds(100)).toBe(40);
  });
});
