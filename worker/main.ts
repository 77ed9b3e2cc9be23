import { loadWorkerConfig } from '#core/config/worker-config.js';
import { createLogger } from '#core/logging/logger.js';
import { startWorker } from './worker-runtime.js';

/** Worker process entry point (the AMI's systemd unit and the local pool run this). */
const log = createLogger('worker');
try {
  const config = loadWorkerConfig(process.env);
  const worker = await startWorker(config, log);
  // Spawned by the local fleet: tell it this worker polls now.
  process.send?.({ type: 'ready', workerId: config.workerId });
  const onSignal = (signal: NodeJS.Signals) => {
    log('signal received; finishing in-flight work', { signal });
    void worker.shutdown('signal');
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Started with an IPC channel (the local pool): stop when the parent goes away.
  const onParentGone = () => onSignal('SIGHUP');
  if (process.send) process.once('disconnect', onParentGone);
  const reason = await worker.queueWorker.done;
  await worker.shutdown();
  log('worker stopped', { reason, processedJobs: worker.queueWorker.processedJobs });
  process.exitCode = 0;
  // An open IPC channel (local fleet) would keep the process alive.
  process.off('disconnect', onParentGone);
  if (process.connected) process.disconnect();
} catch (error) {
  log('worker failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
