import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as prettier from 'prettier';
import ts from 'typescript';
import { tempDir } from './cleanup.ts';
import { REPO } from './project.ts';

/**
 * Type-checks TypeScript files written into a new temp folder (path → text) with the repository's
 * compiler options, as one program and without emitting; packages resolve from the repository's
 * node_modules (linked), and files may import the repository's modules by absolute path.
 * Returns each diagnostic as `file:line: TSnnnn message` (file relative to the folder).
 */
export function typeCheck(files: Record<string, string>): string[] {
  const dir = tempDir('ecom-typecheck-');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const config = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile).config as object;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
  const program = ts.createProgram({ rootNames: Object.keys(files).map((f) => join(dir, f)), options: { ...options, noEmit: true } });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) return `TS${d.code} ${message}`;
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    return `${relative(dir, d.file.fileName)}:${line}: TS${d.code} ${message}`;
  });
}

/** TypeScript text as the repository's prettier configuration formats it. */
export async function prettierFormatted(text: string): Promise<string> {
  const options = await prettier.resolveConfig(join(REPO, 'src/index.ts'));
  return prettier.format(text, { ...options, parser: 'typescript' });
}
