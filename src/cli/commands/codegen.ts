import { Flags } from '@oclif/core';
import { codegen } from '../../codegen/codegen.ts';
import { EcomError } from '../../errors.ts';
import { describePlan } from '../../model/plan.ts';
import { loadModel } from '../../model/load.ts';
import { EcomCommand } from '../base.ts';

export default class Codegen extends EcomCommand {
  static override description = 'Turn the model into prisma/schema.prisma, typed seeders and the Prisma client';
  static override examples = ['<%= config.bin %> codegen', '<%= config.bin %> codegen --model blog.json --check'];
  static override flags = {
    model: EcomCommand.modelFlag,
    check: Flags.boolean({ description: 'write nothing; exit 1 listing generated files that are out of date', default: false }),
    quiet: Flags.boolean({ description: 'print only errors', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Codegen);
    this.verbose = flags.verbose;
    const model = loadModel(flags.model);
    const result = codegen(model, { root: process.cwd(), modelFile: flags.model, check: flags.check });
    if (flags.check) {
      const stale = result.files.filter((f) => f.status === 'stale');
      if (stale.length > 0) {
        throw new EcomError(
          `${stale.length} generated file${stale.length === 1 ? ' is' : 's are'} out of date`,
          stale.map((f) => ({ pointer: f.path, message: 'differs from what the model generates', hint: 'run `ecom codegen`' })),
        );
      }
      if (!flags.quiet) this.log(`All ${result.files.length} generated files are up to date.`);
      return;
    }
    if (flags.quiet) return;
    this.log(describePlan(model));
    this.log('');
    for (const f of result.files) this.log(`  ${f.status.padEnd(9)} ${f.path}`);
    this.log(`  ${'client'.padEnd(9)} src/generated/prisma (${result.client})`);
  }
}
