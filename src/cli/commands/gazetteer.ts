import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT } from '../../config/exit-status.js';
import type { GazetteerEntry } from '../../normalize/gazetteer.js';

const FEATURE_CLASSES = new Set(['A', 'H', 'L', 'P', 'R', 'S', 'T', 'U', 'V']);

function usage(message: string): never {
  process.stderr.write(`newsnorm: ${message}\n`);
  process.exit(EXIT.config);
}

/** `--feature-class P,A` as a set; anything but GeoNames' class letters is refused. */
function featureClassesOf(list: string): Set<string> {
  const classes = list.split(',').map((c) => c.trim().toUpperCase());
  const bad = classes.filter((c) => !FEATURE_CLASSES.has(c));
  if (bad.length > 0 || classes.length === 0) {
    usage(
      `--feature-class: ${JSON.stringify(list)}: expected letters among ${[...FEATURE_CLASSES].join(', ')}, separated by commas`,
    );
  }
  return new Set(classes);
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

interface ImportOptions {
  geonames: string;
  country?: string;
  featureClass: string;
  curated?: string;
  out?: string;
}

async function importGeoNames(options: ImportOptions): Promise<void> {
  const country = options.country?.toUpperCase();
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
    usage(`--country: ${JSON.stringify(options.country)} is not a two-letter country code`);
  }
  const featureClasses = featureClassesOf(options.featureClass);
  const [
    { beforeWork, reportFailure },
    { loadGazetteer, parseGazetteer },
    { entriesFromGeoNames, GEONAMES_ATTRIBUTION, mergeIntoCurated, regionsBySeat },
    { readGeoNames },
  ] = await Promise.all([
    import('../cli-config.js'),
    import('../../normalize/gazetteer.js'),
    import('../../normalize/geonames-gazetteer.js'),
    import('../../normalize/geonames-table.js'),
  ]);
  const curated = options.curated ? await beforeWork(loadGazetteer(options.curated)) : undefined;
  const showProgress = process.stderr.isTTY === true;
  const read = await beforeWork(
    readGeoNames(options.geonames, { country, featureClasses }, (lines) => {
      if (showProgress) process.stderr.write(`\r${lines.toLocaleString('en')} lines read…`);
    }),
  );
  if (showProgress) process.stderr.write('\r\x1b[K');
  for (const bad of read.malformed) {
    reportFailure(`${options.geonames}:${bad.line}`, 'GEONAMES_MALFORMED', bad.reason);
  }
  // Most populous first: among namesakes the gazetteer's order decides.
  const places = [...read.places].sort(
    (a, b) => b.population - a.population || a.geonameId - b.geonameId,
  );
  const seats = regionsBySeat(places);
  const generated = entriesFromGeoNames(places, {
    regionOf: (place) => seats.get(`${place.countryCode}.${place.admin1}`),
  });
  const curatedEntries: GazetteerEntry[] = curated?.entities ?? [];
  const entities = mergeIntoCurated(curatedEntries, generated);
  const joined = curatedEntries.length + generated.length - entities.length;
  const about =
    `Imported by newsnorm gazetteer import from ${options.geonames}` +
    `${country ? ` (country ${country})` : ''}, feature classes ${[...featureClasses].join(',')}` +
    `${options.curated ? `, merged with ${options.curated}` : ''}. GeoNames data: ${GEONAMES_ATTRIBUTION}.`;
  const gazetteer = parseGazetteer({ about, entities }, options.out ?? 'the imported gazetteer');
  const text = `${JSON.stringify(gazetteer, null, 1)}\n`;
  if (options.out) await writeWhole(options.out, text);
  else process.stdout.write(text);
  process.stderr.write(
    `newsnorm: ${read.lines.toLocaleString('en')} lines read, ${places.length} places kept, ` +
      `${curatedEntries.length} curated entries (${joined} joined with GeoNames rows), ` +
      `${entities.length} entities, ${read.malformed.length} malformed lines` +
      `${options.out ? ` → ${options.out}` : ''}\n`,
  );
  if (read.malformed.length > 0) process.exitCode = EXIT.partial;
}

async function checkFile(file: string): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    usage(`${file}: cannot read gazetteer (${(error as Error).message})`);
  }
  const { checkGazetteer } = await import('../../normalize/check-gazetteer.js');
  const check = checkGazetteer(json);
  for (const problem of check.malformed) process.stdout.write(`${file}: ${problem}\n`);
  for (const shared of check.shared) {
    const who = shared.entities
      .map((e) => (e.level === undefined ? e.id : `${e.id} (${e.level})`))
      .join(', ');
    process.stdout.write(`${file}: name "${shared.name}" is shared by ${who}\n`);
  }
  process.stderr.write(
    `newsnorm: ${file}: ${check.entries} entries, ${check.malformed.length} problems in ` +
      `malformed entries, ${check.shared.length} names shared by two or more entities\n`,
  );
  if (check.malformed.length > 0) process.exitCode = EXIT.partial;
}

export function registerGazetteerCommand(program: Command): void {
  const gazetteer = program
    .command('gazetteer')
    .description('Build and check gazetteers: import GeoNames dumps, report malformed entries.');
  gazetteer
    .command('import')
    .description(
      'Turn a GeoNames dump (the standard 19-column table: cities500.txt, SY.txt, ' +
        'allCountries.txt) into a gazetteer, merged with a curated gazetteer. Rows become ' +
        'places with their alternate names as aliases (codes and machine romanizations left ' +
        'out); a curated entry of the same name, region and kind absorbs its GeoNames row.',
    )
    .requiredOption('--geonames <file>', 'GeoNames table to read')
    .option('--country <cc>', 'keep only this country (ISO 3166 code, e.g. SY)')
    .option('--feature-class <list>', 'keep only these feature classes, comma-separated', 'P')
    .option('--curated <file>', 'gazetteer whose entries come first and keep their ids')
    .option('--out <file>', 'write the gazetteer here (default: stdout)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  newsnorm gazetteer import --geonames cities500.txt --country SY --out sy.json\n' +
        '  newsnorm gazetteer import --geonames LB.txt --feature-class P,A \\\n' +
        '      --curated config/gazetteer-curated.json --out lebanon.json\n\n' +
        'A malformed line is reported on stderr with its line number, and every other line is ' +
        'still imported.\nExit status: 0, 1 when some lines were malformed (the rest is written), ' +
        '2 for bad usage or an unreadable file.',
    )
    .action(async (options: ImportOptions) => importGeoNames(options));
  gazetteer
    .command('check')
    .description(
      'Check a gazetteer file: every malformed entry (entry and field named), duplicate ids, ' +
        'and the names two or more entities share (articles, case, diacritics and designators ' +
        'aside), which the matcher must choose between.',
    )
    .argument('<file>', 'gazetteer file')
    .addHelpText(
      'after',
      '\nExamples:\n  newsnorm gazetteer check config/gazetteer.json\n' +
        '  newsnorm gazetteer check lebanon.json | grep -v shared\n\n' +
        'Exit status: 0 when every entry is well formed (shared names are reported, not ' +
        'errors), 1 when some are malformed, 2 when the file cannot be read as JSON.',
    )
    .action(async (file: string) => checkFile(file));
}
