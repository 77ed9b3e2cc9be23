import { staleResponseQueues, type ResponseQueueView } from '#core/aws/response-queues.js';

const NOW = 1_000_000_000;
const IDLE_MS = 900_000;

describe('staleResponseQueues', () => {
  it.each<[string, ResponseQueueView, boolean]>([
    ['touched a minute ago: its process is alive', { url: 'q', lastSeen: NOW - 60_000 }, false],
    ['untouched for longer than the idle time: its process is gone', { url: 'q', lastSeen: NOW - 901_000 }, true],
    ['exactly at the idle time: kept', { url: 'q', lastSeen: NOW - IDLE_MS }, false],
    ['no tag, created long ago: an old process that never touched it', { url: 'q', createdAt: NOW - 3_600_000 }, true],
    ['no tag, just created: kept', { url: 'q', createdAt: NOW - 5_000 }, false],
    ['the tag wins over the creation time', { url: 'q', lastSeen: NOW - 1_000, createdAt: NOW - 3_600_000 }, false],
    ['neither timestamp: nothing says it is stale', { url: 'q' }, false],
  ])('%s', (_, queue, stale) => {
    expect(staleResponseQueues([queue], NOW, IDLE_MS)).toEqual(stale ? ['q'] : []);
  });
});
