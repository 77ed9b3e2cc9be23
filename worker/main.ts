import { loadWorkerConfig } from '#core/config/worker-config.js';
import { describeError } from '#core/errors.js';
import { createProcessLogger } from '#core/logging/logger.js';
import { connectedToFleet, sendToFleet } from './ipc-messages.js';
import { startWorker } from './worker-runtime.js';

/** Worker process entry point (the AMI's systemd unit and the local fleet run this). */
const log = createProcessLogger('worker', process.env);
try {
  const config = loadWorkerConfig(process.env);
  const worker = await startWorker(config, log);
  const workerLog = log.child({ workerId: worker.workerId });
  // Spawned by the local fleet: tell it this worker polls now.
  sendToFleet({ type: 'ready', workerId: worker.workerId });
  const onSignal = (signal: NodeJS.Signals) => {
    workerLog.info({ signal }, 'signal received; finishing in-flight work');
    void worker.shutdown('signal');
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Started with an IPC channel (the local fleet): stop when the parent goes away.
  const onParentGone = () => onSignal('SIGHUP');
  if (connectedToFleet()) process.once('disconnect', onParentGone);
  const reason = await worker.queueWorker.done;
  await worker.shutdown();
  workerLog.info({ reason, processedJobs: worker.queueWorker.processedJobs }, 'worker stopped');
  process.exitCode = 0;
  // An open IPC channel (local fleet) would keep the process alive.
  process.off('disconnect', onParentGone);
  if (process.connected) process.disconnect();
} catch (error) {
  log.fatal({ error: describeError(error) }, 'worker failed to start');
  process.exitCode = 1;
}
