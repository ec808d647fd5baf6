import { EcomCommand } from '../base.ts';
import { boundHeapGrowth } from '../heap.ts';
import { countsOf, seedFlags, shardFlag } from '../flags.ts';

export default class Seed extends EcomCommand<typeof Seed> {
  static override summary = 'Fill every table with realistic, deterministic data.';
  static override description =
    'Generates every table once, batch by batch, into PostgreSQL (one transaction, COPY) and CSV/JSON files (published only after COMMIT). Any failure leaves the database and the exports as they were. The same model and --seed give byte-identical output, whatever --workers. Sharded, across processes or machines (as TPC-H dbgen -C/-S): `--shard prepare/N` empties the tables and suspends their foreign keys and secondary indexes; `--shard I/N` (I = 1…N, any order, concurrently) loads the I-th of N slices of every table in its own transaction and writes file parts (users.part-I-of-N.csv); `--shard finish/N` rebuilds and validates the constraints and resets the sequences. Every step takes the same model, --seed, --scale and --count; a failed shard is simply run again.';
  static override examples = [
    { description: 'Seed with seed 7', command: '<%= config.bin %> <%= command.id %> --seed 7' },
    { description: '100× the model counts, 5,000 users', command: '<%= config.bin %> <%= command.id %> --scale 100 --count users=5000' },
    { description: 'Machine-readable summary, no progress', command: '<%= config.bin %> <%= command.id %> --json' },
    {
      description: 'Sharded: prepare the database for 4 shards',
      command: '<%= config.bin %> <%= command.id %> --scale 1000 --shard prepare/4',
    },
    {
      description: 'Load shard 2 of 4 (each of 1/4 … 4/4 anywhere, concurrently)',
      command: '<%= config.bin %> <%= command.id %> --scale 1000 --shard 2/4',
    },
    {
      description: 'Rebuild and validate the constraints once all 4 are loaded',
      command: '<%= config.bin %> <%= command.id %> --scale 1000 --shard finish/4',
    },
  ];
  static override flags = { model: EcomCommand.modelFlag, ...seedFlags, shard: shardFlag };

  async run() {
    boundHeapGrowth();
    const { finishShards, plannedCounts, prepareShards } = await import('../../seed/seed.ts');
    const { seedOf, seedStep } = await import('../seed-step.ts');
    const { summaryTable } = await import('../progress.ts');
    const model = await this.loadModel();
    const counts = plannedCounts(model, this.flags.scale, countsOf(this.flags.count));
    const db = await this.connectMigrated(model);
    const shard = this.flags.shard;
    const where = db?.label ?? '(no database)';
    try {
      if (shard?.step === 'prepare' || shard?.step === 'finish') {
        const n = shard.count;
        if (!db) {
          this.log(`This model has no PostgreSQL tables: nothing to ${shard.step}; the shards write only files.`);
          return { database: null, shard: `${shard.step}/${n}` };
        }
        if (shard.step === 'prepare') {
          const r = await prepareShards(db, model, { seed: seedOf(model, this.flags.seed), counts, shards: n });
          this.log(
            `Prepared ${where} for ${n} shards: ${r.tables} tables emptied, ${r.foreignKeys} foreign keys and ${r.indexes} indexes suspended.\nNext: \`ecom seed --shard I/${n}\` for I = 1…${n} (any order, concurrently, same model and flags), then \`ecom seed --shard finish/${n}\`.`,
          );
          return { database: where, shard: `prepare/${n}`, ...r };
        }
        const r = await finishShards(db, model, { shards: n });
        this.log(
          `Finished ${where}: all ${n} shards loaded; ${r.indexes} indexes rebuilt, ${r.foreignKeys} foreign keys added and validated.`,
        );
        return { database: where, shard: `finish/${n}`, ...r };
      }
      const loadShard = shard ? { index: shard.index, count: shard.count } : undefined;
      const result = await seedStep(db, model, {
        seed: this.flags.seed,
        counts,
        out: this.flags.out,
        workers: this.flags.workers,
        shard: loadShard,
        quiet: this.jsonEnabled(),
      });
      const part = loadShard ? `shard ${loadShard.index}/${loadShard.count} of ` : '';
      if (result.alreadyLoaded)
        this.log(
          `\nShard ${loadShard!.index}/${loadShard!.count} was already loaded into ${where} (${result.alreadyLoaded}); its files were written again.`,
        );
      this.log(
        `\nSeeded ${part}${where} and ${this.flags.out}/ (${result.workers === 1 ? 'generated in the main thread' : `${result.workers} worker threads`})\n${summaryTable(result.tables)}`,
      );
      return {
        database: db?.label ?? null,
        out: this.flags.out,
        workers: result.workers,
        ...(loadShard ? { shard: `${loadShard.index}/${loadShard.count}` } : {}),
        ...(result.alreadyLoaded ? { alreadyLoaded: result.alreadyLoaded } : {}),
        tables: result.tables,
      };
    } finally {
      await db?.close();
    }
  }
}
