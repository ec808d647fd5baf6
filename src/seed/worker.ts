// A worker thread of renderInWorkers (workers.ts): builds its own engine the way the main thread
// does, then renders each batch it is sent and posts the texts back as transferred UTF-8 bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { EcomError } from '../errors.ts';
import { resolvePortable } from '../model/resolve.ts';
import { type Batch, renderBatch } from './batches.ts';
import { createEngine } from './engine-setup.ts';
import type { WorkerReply, WorkerSetup } from './workers.ts';

const setup = workerData as WorkerSetup;
const engine = createEngine(resolvePortable(setup.model), setup);
engine.catch(() => {}); // reported with the first batch
const encoder = new TextEncoder();
const port = parentPort!;

port.on('message', async (batch: Batch) => {
  let reply: WorkerReply;
  try {
    const texts = renderBatch(await engine, batch).map((t) => encoder.encode(t));
    port.postMessage(
      { texts } satisfies WorkerReply,
      texts.map((t) => t.buffer),
    );
    return;
  } catch (e) {
    const err = e as Error;
    reply = {
      error: {
        message: err.message,
        ...(err.stack ? { stack: err.stack } : {}),
        ...(e instanceof EcomError ? { problems: e.problems, exitCode: e.exitCode } : {}),
      },
    };
  }
  port.postMessage(reply);
});
