import { Worker } from 'node:worker_threads';
import { EcomError, type Problem } from '../errors.ts';
import { type PortableModel, portableModel, type ResolvedModel } from '../model/resolve.ts';
import type { Batch } from './batches.ts';
import type { EngineSetup } from './engine-setup.ts';

/** Renders batches (see batches.ts), one text per output; results arrive in any order, callers keep theirs. */
export interface BatchRenderer {
  render(b: Batch): Promise<(string | Uint8Array<ArrayBuffer>)[]>;
  /** How many batches it usefully renders at once. */
  readonly parallel: number;
  close(): Promise<void>;
}

/** workerData of worker.ts. */
export interface WorkerSetup extends EngineSetup {
  model: PortableModel;
}

/** What worker.ts posts back for a batch: the texts as UTF-8 bytes (transferred, not copied), or why it failed. */
export type WorkerReply =
  { texts: Uint8Array<ArrayBuffer>[] } | { error: { message: string; stack?: string; problems?: Problem[]; exitCode?: number } };

/**
 * `n` worker threads, each with its own engine, rendering one batch at a time. A worker that
 * fails or stops fails every batch still pending, and every later one.
 */
export function renderInWorkers(n: number, model: ResolvedModel, setup: EngineSetup): BatchRenderer {
  const workerData: WorkerSetup = { ...setup, model: portableModel(model) };
  type Task = { batch: Batch; resolve: (texts: Uint8Array<ArrayBuffer>[]) => void; reject: (e: Error) => void };
  const queue: Task[] = [];
  const idle: Worker[] = [];
  const running = new Map<Worker, Task>();
  let failure: Error | undefined;
  let closing = false;

  const fail = (e: Error) => {
    failure ??= e;
    for (const t of [...running.values(), ...queue.splice(0)]) t.reject(failure);
    running.clear();
  };
  const pump = () => {
    while (!failure && idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const task = queue.shift()!;
      running.set(w, task);
      w.postMessage(task.batch);
    }
  };
  const workers = Array.from({ length: n }, () => {
    const w = spawnWorker(workerData);
    w.on('message', (reply: WorkerReply) => {
      const task = running.get(w);
      running.delete(w);
      idle.push(w);
      if ('error' in reply) {
        const e = revive(reply.error);
        task?.reject(e);
        fail(e);
      } else task?.resolve(reply.texts);
      pump();
    });
    w.on('error', (e) => fail(e));
    w.on('exit', (code) => {
      if (!closing) fail(new Error(`a worker thread generating rows stopped unexpectedly (exit code ${code})`));
    });
    idle.push(w);
    return w;
  });

  return {
    parallel: n,
    render(batch) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The compiled CLI starts dist/…/worker.js. Tests and tsx run the TypeScript source: there the
 * worker loads worker.ts through tsx's API, as the overrides are loaded (Node 20 does not apply
 * `--import tsx` to worker threads).
 */
function spawnWorker(workerData: WorkerSetup): Worker {
  // half V8's default young generation: a worker's batch in flight is small (250 rows), and the
  // default's 32 MB of semi-spaces per worker showed in the peak RSS (1M rows, 2 workers: 322 → 293 MB, same CPU time)
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 16 } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then(({ tsImport }) => tsImport(${entry}, ${entry}));`, { ...options, eval: true });
}

/** A worker's error as the main thread's: an EcomError keeps its problems and exit code. */
function revive(e: Extract<WorkerReply, { error: unknown }>['error']): Error {
  const err = e.problems ? new EcomError(e.message, e.problems, e.exitCode) : new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/**
 * Hands back the rendered batches in order while keeping up to `ahead` batches rendering beyond the
 * one being written, so that writing (COPY, files) never waits for generation when there are workers.
 */
export function inOrder(renderer: BatchRenderer, batches: Batch[], ahead: number): () => Promise<(string | Uint8Array<ArrayBuffer>)[]> {
  const pending: Promise<(string | Uint8Array<ArrayBuffer>)[]>[] = [];
  let next = 0;
  const top = () => {
    while (next < batches.length && pending.length < ahead) {
      const p = renderer.render(batches[next++]!);
      p.catch(() => {}); // a failure surfaces when this batch's turn comes
      pending.push(p);
    }
  };
  return () => {
    top();
    const p = pending.shift();
    top();
    if (!p) throw new Error('no batch left to render');
    return p;
  };
}
