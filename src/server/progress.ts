import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; silent when stderr is not a terminal but for the end. */
export function progressBar() {
  const bar = new cliProgress.SingleBar(
    {
      format: '  {label} |{bar}| {percentage}% · {value}/{total} · {eta_formatted} left',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number, label: string) {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
