import os from 'node:os';
import { loadStackConfig } from '#core/config/stack-config.js';

describe('loadStackConfig', () => {
  it('gives the documented defaults: the emulator port and one worker per core at most', () => {
    expect(loadStackConfig({})).toMatchObject({
      emulatorPort: 4566,
      scaler: { policy: { minWorkers: 0, maxWorkers: os.availableParallelism(), tickSeconds: 1 } },
    });
  });
});
