/**
 * Command line of bench/freshness.mjs: its own flags before `--`, the collector's after it
 * (passed to `threshold start` untouched, so a flag the collector does not know is its to refuse).
 */
const USAGE = `usage: node bench/freshness.mjs [--rate <spans/s>] [--seconds <s>] [--flat-seconds <s>] [--clients <n>] [--smoke] [-- <threshold start flags>]
  --rate          steady phase: spans offered per second (default 50000)
  --seconds       steady phase: how long (default 60)
  --flat-seconds  flat-out phase: how long (default 20)
  --clients       flat-out phase: keep-alive clients (default 16)
  --smoke         a quick run that checks the bench itself: --flat-seconds 3 --seconds 5 --rate 5000 unless given`;

const NUMERIC = { '--rate': 'rate', '--seconds': 'seconds', '--flat-seconds': 'flatSeconds', '--clients': 'clients' };
const DEFAULTS = { rate: 50_000, seconds: 60, flatSeconds: 20, clients: 16 };
const SMOKE = { rate: 5_000, seconds: 5, flatSeconds: 3 };

/** `{ rate, seconds, flatSeconds, clients, smoke, collectorArgs }`; prints the usage and exits on a bad flag or `--help`. */
export function freshnessArguments(argv) {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const given = {};
  let smoke = false;
  for (let index = 0; index < own.length; index++) {
    const [flag, inline] = own[index].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') usage(0);
    if (flag === '--smoke') {
      smoke = true;
      continue;
    }
    const name = NUMERIC[flag];
    if (name === undefined) usage(2, `unknown option ${own[index]} (collector flags go after --)`);
    const text = inline ?? own[++index];
    const value = Number(text);
    if (
      text === undefined ||
      text.trim() === '' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      (name === 'clients' && !Number.isInteger(value))
    ) {
      usage(2, `${flag} takes a positive number${name === 'clients' ? ' (whole)' : ''}, got ${text ?? 'nothing'}`);
    }
    given[name] = value;
  }
  return { ...DEFAULTS, ...(smoke ? SMOKE : {}), ...given, smoke, collectorArgs: split === -1 ? [] : argv.slice(split + 1) };
}

function usage(code, problem) {
  if (problem) console.error(problem);
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}
