/**
 * followthrough serve | worker | migrate | seed | import-contacts | reset-password
 *
 * Only the command line's shape is loaded here; each command loads what it uses when it runs
 * (`--help` loads nothing else).
 */
import { Command, InvalidArgumentError } from 'commander';

const program = new Command()
  .name('followthrough')
  .description('The follow-up engine for outbound calling teams that work with AI voice agents.')
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Start the web app and the API. Without DATABASE_URL it also runs the engine on the ' +
      'embedded database and, on first start, loads the demo workspace.',
  )
  .action(async () => {
    const { serve } = await import('./commands/serve.ts');
    await serve();
  });

program
  .command('worker')
  .description(
    'Run the engine alone (scheduler, dispatcher, reaper). Any number may run at once on PostgreSQL.',
  )
  .action(async () => {
    const { worker } = await import('./commands/worker.ts');
    await worker();
  });

program
  .command('migrate')
  .description('Apply the database migrations and exit.')
  .action(async () => {
    const { migrate } = await import('./commands/migrate.ts');
    await migrate();
  });

program
  .command('seed')
  .description(
    'Load the demo workspace "Demo Co"; with --contacts/--follow-ups, load volume for benchmarks.',
  )
  .option('--seed <n>', 'random seed: the same seed gives the same data', positiveInt, 42)
  .option('--workspace <name>', 'workspace to load volume into (created when missing)', 'Bench Co')
  .option('--contacts <n>', 'number of contacts to add (volume)', positiveInt)
  .option('--follow-ups <n>', 'number of follow-ups to add (volume)', positiveInt)
  .option('--agents <n>', 'agents in a new volume workspace', positiveInt, 20)
  .option('--campaigns <n>', 'campaigns in a new volume workspace', positiveInt, 50)
  .action(async (opts) => {
    const { seed } = await import('./commands/seed.ts');
    await seed(opts);
  });

program
  .command('import-contacts')
  .description(
    'Import contacts from a CSV file (with --dnc: phones for the Do Not Call list). Rows are ' +
      'matched by phone: a second run of the same file changes nothing.',
  )
  .argument('<file>', 'the CSV file; its first row names the columns')
  .requiredOption(
    '--map <pairs>',
    'columns → fields, e.g. "Phone=phone,First name=firstName,Plan=custom:plan" ' +
      '(fields: phone, firstName, lastName, email, company, timezone, custom:<key>; with --dnc: phone, reason)',
  )
  .option('--workspace <name>', 'the workspace to import into (needed when there are several)')
  .option('--dnc', 'put the phones on the Do Not Call list instead')
  .option('--errors <path>', 'where to write the error report (default: FILE-errors.csv)')
  .action(async (file: string, opts) => {
    const { importContacts } = await import('./commands/import-contacts.ts');
    await importContacts(file, opts);
  });

program
  .command('reset-password')
  .description(
    'Give a user a new one-time password (for an admin who cannot sign in): their sessions ' +
      'end, and they choose a password of their own at the next sign-in.',
  )
  .argument('<email>', 'the email the user signs in with')
  .option(
    '--workspace <id-or-name>',
    'the workspace of the account, when the email has one in several workspaces',
  )
  .action(async (email: string, opts: { workspace?: string }) => {
    const { resetPassword } = await import('./commands/reset-password.ts');
    await resetPassword(email, opts);
  });

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1.');
  return n;
}

await program.parseAsync(process.argv);
