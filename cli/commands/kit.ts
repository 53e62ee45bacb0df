import type { Command } from 'commander';
import path from 'node:path';
import { CliError } from '../cli-error.ts';
import { runWalkthrough, WalkthroughStepFailed } from '../kit/walkthrough.ts';

type WalkthroughFlags = { out: string; lang: string };

/** `wahlkoffer kit …`: the kit app outside Electron (docs/guides/poll-worker.md, docs/kit.md). */
export function registerKitCommands(program: Command): void {
  const kit = program.command('kit').description('the polling-station kit (Wahlkoffer app)');
  kit
    .command('walkthrough')
    .description(
      'one polling station’s evening with real parts (election, PKI, server, kit services, renderer in Chromium): screenshots and the paper record as PDF',
    )
    .requiredOption('--out <dir>', 'where the numbered screenshots and schnellmeldung.pdf go')
    .option('--lang <de|en>', 'language of the kit', 'de')
    .action(async (flags: WalkthroughFlags) => {
      if (flags.lang !== 'de' && flags.lang !== 'en') {
        throw new CliError(
          'USAGE',
          { de: '--lang muss de oder en sein', en: '--lang must be de or en' },
          2,
        );
      }
      try {
        const result = await runWalkthrough({
          out: path.resolve(flags.out),
          lang: flags.lang,
          log: (line) => process.stderr.write(`[walkthrough] ${line}\n`),
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        process.exitCode = result.accepted ? 0 : 1;
      } catch (error) {
        if (error instanceof WalkthroughStepFailed) {
          throw new CliError(
            'FAILED',
            {
              de: `Rundgang abgebrochen: ${error.message}`,
              en: `walkthrough stopped: ${error.message}`,
            },
            1,
            { cause: error },
          );
        }
        throw error;
      }
    });
}
