// The county simulator alone:
//   npm run county -- --port N --seed S [--token T] [--db FILE] [--towns N --grids-per-town M] [--rate EVENTS_PER_HOUR] [--speedup X] [--duty day|always]
// Prints exactly one line "county simulator on http://127.0.0.1:N serving towns: <codes>"
// (scripts and tests wait for it), and stops cleanly on SIGINT/SIGTERM. With --token, the
// HTTP control endpoint takes the same token (`Authorization: Bearer T`).
import { USAGE, parseCountyCli, type CountyCliOptions } from './cli-options';
import { startCountySimulator, type ActivityOptions } from './index';

async function main(): Promise<void> {
  let options: CountyCliOptions;
  try {
    options = parseCountyCli(process.argv.slice(2));
  } catch (error) {
    console.error(`county simulator: ${(error as Error).message}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const activity: ActivityOptions = {};
  if (options.rate !== undefined) activity.eventsPerHour = options.rate;
  if (options.speedup !== undefined) activity.speedup = options.speedup;
  const sim = await startCountySimulator({
    port: options.port,
    seed: options.seed,
    dbFile: options.db,
    ...(options.token !== undefined ? { token: options.token, controlToken: options.token } : {}),
    ...(options.scale ? { scale: options.scale } : {}),
    ...(options.duty ? { duty: options.duty } : {}),
    activity,
    devices: true,
    log: (line) => {
      // The start line is printed below, once; the rest goes to stderr so stdout stays parseable.
      if (!line.startsWith('county simulator on ')) console.error(line);
    },
  });
  console.log(`county simulator on ${sim.url} serving towns: ${sim.towns.join(',')}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(
      () => {
        console.error(`county simulator stopped (${signal})`);
        process.exit(0);
      },
      () => process.exit(1),
    );
    // Never hang on a stuck connection.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`county simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
