import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of V8's .cpuprofile JSON (written by `node --cpu-prof`) the summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time in no JavaScript frame: waiting for I/O. */
  idleMs: number;
  topFunctions: ProfileRow[];
  /** Self time grouped by package (node_modules/<name>), Kiosque file, or node internals. */
  byModule: ProfileRow[];
}

function moduleOf(url: string, root: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const packages = file.split('/node_modules/');
  if (packages.length > 1) {
    const rest = packages.at(-1)!.split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return path.relative(root, file);
}

/** Top functions and modules by self time: where the process actually spent its CPU. */
export function summarizeProfile(file: string, root: string, top = 20, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // Samples before `skipMs` (start-up: module loading, migrations) are not the path under study.
  let elapsedUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsedUs += delta;
    if (elapsedUs < skipMs * 1000) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, ProfileRow>();
  const modules = new Map<string, ProfileRow>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const where = frame.url
      ? `${moduleOf(frame.url, root)}:${frame.lineNumber + 1}`
      : name.startsWith('(')
        ? ''
        : '(native)';
    const key = `${name} ${where}`;
    const row = functions.get(key) ?? { name, where, selfMs: 0, share: 0 };
    row.selfMs += us / 1000;
    functions.set(key, row);
    const module = name.startsWith('(') && !frame.url ? name : moduleOf(frame.url, root);
    const moduleRow = modules.get(module) ?? { name: module, where: '', selfMs: 0, share: 0 };
    moduleRow.selfMs += us / 1000;
    modules.set(module, moduleRow);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const rank = (rows: Iterable<ProfileRow>) =>
    [...rows]
      .map((row) => ({ ...row, share: busyMs > 0 ? row.selfMs / busyMs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    topFunctions: rank(functions.values()),
    byModule: rank(modules.values()),
  };
}

// Run directly: print the summary of one profile.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const summary = summarizeProfile(process.argv[2]!, process.cwd());
  console.log(JSON.stringify(summary, null, 2));
}
