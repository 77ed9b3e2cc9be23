import { silentLogger } from '#core/logging/logger.js';
import { stackEnv, type StackSettings } from '#tools/shared/stack-process.js';

const settings: StackSettings = {
  env: { GLIMPSE_MODEL_MIRROR: '/mirror', GLIMPSE_RECEIVE_LOOPS: '3', PORT: '3000', GLIMPSE_LOG_LEVEL: 'debug' },
  model: 'mobilenetv2-12-int8',
  modelCacheDir: '/cache',
  minWorkers: 2,
  maxWorkers: 2,
  log: silentLogger(),
};

describe('stackEnv', () => {
  it("passes the caller's variables through and sets the tool's own: free ports, a fresh data dir, the workers", () => {
    expect(stackEnv(settings, '/tmp/run')).toEqual({
      GLIMPSE_MODEL_MIRROR: '/mirror',
      GLIMPSE_RECEIVE_LOOPS: '3',
      GLIMPSE_DATA_DIR: '/tmp/run',
      GLIMPSE_MODEL_CACHE: '/cache',
      PORT: '0',
      GLIMPSE_EMULATOR_PORT: '0',
      GLIMPSE_MIN_WORKERS: '2',
      GLIMPSE_MAX_WORKERS: '2',
      GLIMPSE_MODEL: 'mobilenetv2-12-int8',
      GLIMPSE_LOG_LEVEL: 'warn',
    });
  });

  it('starts on fixed ports when given (a restart keeps them)', () => {
    // Act
    const env = stackEnv({ ...settings, ports: { web: 3101, emulator: 4601 } }, '/tmp/run');

    // Assess
    expect([env.PORT, env.GLIMPSE_EMULATOR_PORT]).toEqual(['3101', '4601']);
  });

  it('profiles every process of the stack, keeping the node options the caller set', () => {
    // Act
    const env = stackEnv(
      { ...settings, env: { NODE_OPTIONS: '--max-old-space-size=512' }, profileDir: '/profiles here' },
      '/tmp/run',
    );

    // Assess
    expect(env.NODE_OPTIONS).toBe('--max-old-space-size=512 --cpu-prof --cpu-prof-dir="/profiles here"');
  });
});
